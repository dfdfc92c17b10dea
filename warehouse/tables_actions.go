package warehouse

// actionTables are declared by the actions feature.
var actionTables = []Table{}

// actionViews are the actions feature's views.
var actionViews = []View{}
