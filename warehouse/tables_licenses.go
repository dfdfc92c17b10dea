package warehouse

// licenseTables are declared by the licenses feature.
var licenseTables = []Table{}

// licenseViews are the licenses feature's views.
var licenseViews = []View{}
