package warehouse

// appTables are declared by the apps feature.
var appTables = []Table{}

// appViews are the apps feature's views.
var appViews = []View{}
