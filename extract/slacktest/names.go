package slacktest

// namePart is one given or family name: how it is written and the ASCII
// transliteration used to build handles and e-mail addresses.
type namePart struct {
	text   string // as displayed, possibly unicode
	handle string // lower-case ASCII, no separators
}

// nameOrder says how a culture writes a full name.
type nameOrder uint8

const (
	orderGivenFirst  nameOrder = iota // "Zoë Ångström"
	orderFamilySpace                  // "佐藤 太郎": family name, space, given name
	orderFamilyTight                  // "李雷": one-rune family name, then given name, no space
	orderSingle                       // bots, app users and Slackbot: one name, no split
)

// culture is a pool of names written one way. The transliterated handle
// "given.family" must be unique across every culture's combinations
// (TestHandlesUniqueAcrossRounds covers them all).
type culture struct {
	given, family []namePart
	order         nameOrder
	accented      bool    // real_name_normalized differs from real_name (diacritics folded)
	zones         []uint8 // indexes into timezones people of this culture mostly use
}

func parts(pairs ...string) []namePart {
	out := make([]namePart, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, namePart{text: pairs[i], handle: pairs[i+1]})
	}
	return out
}

// asciiParts builds name parts whose handle is the lower-cased name without
// punctuation ("O'Connor" → "oconnor").
func asciiParts(names ...string) []namePart {
	out := make([]namePart, len(names))
	for i, n := range names {
		h := make([]byte, 0, len(n))
		for j := 0; j < len(n); j++ {
			c := n[j]
			switch {
			case c >= 'A' && c <= 'Z':
				h = append(h, c+'a'-'A')
			case c >= 'a' && c <= 'z':
				h = append(h, c)
			}
		}
		out[i] = namePart{text: n, handle: string(h)}
	}
	return out
}

// tzInfo is a time zone as users.list reports it (standard time: the
// default clock is late November).
type tzInfo struct {
	name   string
	label  string
	offset int
}

var timezones = []tzInfo{
	{"America/Los_Angeles", "Pacific Standard Time", -28800}, // 0
	{"America/Denver", "Mountain Standard Time", -25200},     // 1
	{"America/Chicago", "Central Standard Time", -21600},     // 2
	{"America/New_York", "Eastern Standard Time", -18000},    // 3
	{"America/Sao_Paulo", "Brasilia Standard Time", -10800},  // 4
	{"Europe/London", "Greenwich Mean Time", 0},              // 5
	{"Europe/Berlin", "Central European Time", 3600},         // 6
	{"Europe/Stockholm", "Central European Time", 3600},      // 7
	{"Europe/Athens", "Eastern European Time", 7200},         // 8
	{"Europe/Moscow", "Moscow Standard Time", 10800},         // 9
	{"Asia/Kolkata", "India Standard Time", 19800},           // 10
	{"Asia/Shanghai", "China Standard Time", 28800},          // 11
	{"Asia/Tokyo", "Japan Standard Time", 32400},             // 12
	{"Australia/Sydney", "Australian Eastern Daylight Time", 39600},
	{"Africa/Lagos", "West Africa Standard Time", 3600},   // 14
	{"Europe/Dublin", "Greenwich Mean Time", 0},           // 15
	{"Europe/Warsaw", "Central European Time", 3600},      // 16
	{"Europe/Madrid", "Central European Time", 3600},      // 17
	{"Europe/Paris", "Central European Time", 3600},       // 18
	{"America/Toronto", "Eastern Standard Time", -18000},  // 19
	{"Asia/Singapore", "Singapore Standard Time", 28800},  // 20
	{"America/Phoenix", "Mountain Standard Time", -25200}, // 21
}

// tzBots is the zone Slack reports for bots and Slackbot.
const tzBots = 0

var cultures = []culture{
	{ // ASCII names: about 90% of the combinations, hence of the people.
		given: asciiParts("James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda",
			"David", "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica",
			"Thomas", "Sarah", "Charles", "Karen", "Daniel", "Nancy", "Matthew", "Lisa",
			"Anthony", "Betty", "Mark", "Sandra", "Steven", "Ashley", "Paul", "Emily",
			"Andrew", "Michelle", "Joshua", "Amanda", "Kevin", "Melissa", "Brian", "Stephanie",
			"Priya", "Rahul", "Aisha", "Omar", "Fatima", "Kwame", "Amara", "Diego",
			"Lucia", "Mateo", "Hannah", "Noah", "Olivia", "Liam", "Emma", "Ethan",
			"Ava", "Lucas", "Mia", "Leo"),
		family: asciiParts("Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson",
			"Anderson", "Taylor", "Thomas", "Moore", "Jackson", "Martin", "Lee", "Thompson",
			"White", "Harris", "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen",
			"King", "Wright", "Scott", "Hill", "Green", "Adams", "Baker", "Nelson",
			"Carter", "Mitchell", "Roberts", "Turner", "Phillips", "Campbell", "Parker", "Evans",
			"Edwards", "Collins", "Stewart", "Morris", "Murphy", "Cook", "Rogers", "Patel",
			"Okafor", "Mensah", "Haddad", "Rossi", "Novak", "Schmidt", "Fischer", "Kowalski",
			"O'Connor", "Smith-Jones", "Nakamura", "Kim"),
		order: orderGivenFirst,
		zones: []uint8{0, 0, 1, 2, 3, 3, 3, 5, 5, 6, 10, 14, 19, 21, 13, 20},
	},
	{ // Latin script with diacritics.
		given: parts("Zoë", "zoe", "Siobhán", "siobhan", "José", "jose", "Françoise", "francoise",
			"Björn", "bjorn", "Søren", "soren", "Łukasz", "lukasz", "Renée", "renee",
			"Chloé", "chloe", "Zoltán", "zoltan", "Íde", "ide", "Jürgen", "jurgen"),
		family: parts("Ångström", "angstrom", "Ó Briain", "obriain", "Müller", "muller", "García", "garcia",
			"Núñez", "nunez", "Østergaard", "ostergaard", "Wałęsa", "walesa", "Dvořák", "dvorak",
			"Sánchez", "sanchez", "Lefèvre", "lefevre", "Kovačić", "kovacic", "Åberg", "aberg"),
		order:    orderGivenFirst,
		accented: true,
		zones:    []uint8{6, 7, 15, 16, 17, 18, 4},
	},
	{ // Chinese: one-character family name first, no space.
		given: parts("雷", "lei", "伟", "wei", "芳", "fang", "娜", "na", "敏", "min",
			"静", "jing", "强", "qiang", "军", "jun", "洋", "yang", "杰", "jie"),
		family: parts("李", "li", "王", "wang", "张", "zhang", "刘", "liu", "陈", "chen",
			"杨", "yang", "黄", "huang", "赵", "zhao", "周", "zhou", "吴", "wu"),
		order: orderFamilyTight,
		zones: []uint8{11, 11, 20},
	},
	{ // Cyrillic.
		given: parts("Ахмед", "akhmed", "Ольга", "olga", "Дмитрий", "dmitry", "Наталья", "natalya",
			"Сергей", "sergey", "Ирина", "irina", "Алексей", "alexey", "Татьяна", "tatyana"),
		family: parts("Садыков", "sadykov", "Иванова", "ivanova", "Смирнов", "smirnov", "Кузнецова", "kuznetsova",
			"Попов", "popov", "Волкова", "volkova", "Соколов", "sokolov", "Лебедева", "lebedeva"),
		order: orderGivenFirst,
		zones: []uint8{9, 9, 6},
	},
	{ // Greek.
		given: parts("Γιώργος", "giorgos", "Ελένη", "eleni", "Νίκος", "nikos", "Κατερίνα", "katerina",
			"Δημήτρης", "dimitris", "Σοφία", "sofia"),
		family: parts("Παπαδόπουλος", "papadopoulos", "Οικονόμου", "oikonomou", "Γεωργίου", "georgiou",
			"Νικολάου", "nikolaou", "Βλάχος", "vlachos", "Αθανασίου", "athanasiou"),
		order: orderGivenFirst,
		zones: []uint8{8},
	},
	{ // Japanese: family name first, with a space.
		given: parts("太郎", "taro", "花子", "hanako", "健", "ken", "結衣", "yui", "翔", "sho",
			"美咲", "misaki", "大輝", "daiki"),
		family: parts("佐藤", "sato", "鈴木", "suzuki", "高橋", "takahashi", "田中", "tanaka",
			"渡辺", "watanabe", "伊藤", "ito", "山本", "yamamoto"),
		order: orderFamilySpace,
		zones: []uint8{12},
	},
}

// foldTable maps the accented letters used above to ASCII, the way Slack
// fills real_name_normalized.
var foldTable = map[rune]string{
	'ë': "e", 'á': "a", 'é': "e", 'ç': "c", 'ö': "o", 'ø': "o", 'Ø': "O", 'Ł': "L", 'ł': "l",
	'í': "i", 'Í': "I", 'ü': "u", 'Å': "A", 'å': "a", 'Ó': "O", 'ó': "o", 'ñ': "n", 'ú': "u",
	'ę': "e", 'ř': "r", 'è': "e", 'č': "c", 'ć': "c", 'š': "s", 'ž': "z",
}

// titles are job titles; a few carry characters that JSON must escape.
var titles = []string{
	"Software Engineer", "Senior Software Engineer", "Staff Engineer", "Engineering Manager",
	"Product Manager", "Product Designer", "Account Executive", "Customer Success Manager",
	"Data Analyst", "Recruiter", "Finance Lead", "Marketing Manager", "Sales Development Rep",
	"Office Manager", "DevOps Engineer", "Legal Counsel", "Support Engineer", "QA Engineer",
	"Head of R&D <Labs>", `VP, "Special Projects"`, "Support\tTier 2", `Ops \ Infra`,
	"Chief of Staff", "Solutions Architect",
}

// emoji decorate a few display names (4-byte UTF-8, surrogate pairs when escaped).
var emoji = []string{"🌴", "🚀", "☕", "🎸", "🦊", "🌈"}

// apps name the bot users and app users.
var botApps = []struct{ handle, name string }{
	{"jira", "Jira Cloud"}, {"github", "GitHub"}, {"google-drive", "Google Drive"}, {"zoom", "Zoom"},
	{"polly", "Polly"}, {"donut", "Donut"}, {"pagerduty", "PagerDuty"}, {"salesforce", "Salesforce"},
	{"asana", "Asana"}, {"trello", "Trello"}, {"giphy", "Giphy"}, {"loom", "Loom"},
	{"notion", "Notion"}, {"figma", "Figma"}, {"datadog", "Datadog"}, {"sentry", "Sentry"},
	{"zendesk", "Zendesk"}, {"hubspot", "HubSpot"}, {"calendly", "Calendly"}, {"geekbot", "Geekbot"},
}

var appUserApps = []struct{ handle, name string }{
	{"workflow-builder", "Workflow Builder"}, {"standup-app", "Standup App"}, {"onboarding-flow", "Onboarding Flow"},
	{"expense-approvals", "Expense Approvals"}, {"it-helpdesk", "IT Helpdesk"}, {"pto-tracker", "PTO Tracker"},
}

// workspaceSuffixes name the extra workspaces of an Enterprise Grid org.
var workspaceSuffixes = []string{"Engineering", "Sales", "Support", "Marketing", "Operations", "Research", "Finance", "People"}
