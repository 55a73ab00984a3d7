// The app never turns tables into danfojs DataFrames; this stands in for the optional peer so its 6 MB bundle stays
// out of dist/app (the kit imports it only on first use of toDataFrame / pull as "dataframe").
throw new Error("danfojs is not part of the example app");
