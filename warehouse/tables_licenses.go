package warehouse

// licenseTables are declared by the licenses feature.
var licenseTables = []Table{}
