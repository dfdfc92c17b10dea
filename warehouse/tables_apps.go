package warehouse

// appTables are declared by the apps feature.
var appTables = []Table{}
