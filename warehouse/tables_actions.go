package warehouse

// actionTables are declared by the actions feature.
var actionTables = []Table{}
