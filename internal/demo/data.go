package demo

import "github.com/loyal-b2b/loyal/internal/party"

// The demo operator: a manufacturer of building materials (dry mixes,
// roofing, insulation) selling through distributors and dealers to
// installers and contractors.

type staffSeed struct{ email, name, role string }

var staffSeeds = []staffSeed{
	{"alex.morgan@atlas-bm.example", "Alex Morgan", "admin"},
	{"priya.shah@atlas-bm.example", "Priya Shah", "program_manager"},
	{"tom.becker@atlas-bm.example", "Tom Becker", "account_manager"},
	{"elena.sokolova@atlas-bm.example", "Elena Sokolova", "account_manager"},
	{"mark.ellis@atlas-bm.example", "Mark Ellis", "finance"},
	{"jo.kaur@atlas-bm.example", "Jo Kaur", "support"},
	{"sam.okafor@atlas-bm.example", "Sam Okafor", "integrator"},
}

type orgSeed struct {
	ext, name, typ, region, industry, size, parent, manager string
	tags                                                    []string
}

// Holdings come before their branches; manager is an index into staffSeeds.
var orgSeeds = []orgSeed{
	{"D-1000", "Northern Building Supply Group", "distributor", "North", "building materials wholesale", "enterprise", "", "tom", []string{"key-account", "holding"}},
	{"D-1001", "Northern Building Supply — Leeds", "distributor", "North", "building materials wholesale", "large", "D-1000", "tom", []string{"key-account"}},
	{"D-1002", "Northern Building Supply — Newcastle", "distributor", "North", "building materials wholesale", "large", "D-1000", "tom", []string{"key-account"}},
	{"D-1003", "Northern Building Supply — York", "distributor", "North", "building materials wholesale", "medium", "D-1000", "tom", nil},
	{"D-2000", "Capital Trade Distribution", "distributor", "South", "building materials wholesale", "enterprise", "", "elena", []string{"key-account", "holding"}},
	{"D-2001", "Capital Trade — Croydon", "distributor", "South", "building materials wholesale", "large", "D-2000", "elena", nil},
	{"D-2002", "Capital Trade — Reading", "distributor", "South", "building materials wholesale", "medium", "D-2000", "elena", nil},
	{"R-3001", "Brick & Beam Merchants", "dealer", "North", "builders merchant", "medium", "", "tom", []string{"pilot"}},
	{"R-3002", "Roofline Supplies", "dealer", "North", "roofing merchant", "small", "", "tom", []string{"pilot", "roofing"}},
	{"R-3003", "Westgate Timber & Tools", "dealer", "West", "builders merchant", "medium", "", "elena", nil},
	{"R-3004", "Harbour DIY Centre", "dealer", "South", "DIY retail", "medium", "", "elena", []string{"retail"}},
	{"R-3005", "Peak District Building Centre", "dealer", "Midlands", "builders merchant", "small", "", "tom", []string{"pilot"}},
	{"R-3006", "Severn Plaster & Insulation", "dealer", "West", "insulation specialist", "small", "", "elena", []string{"insulation"}},
	{"R-3007", "Eastfield Builders Yard", "dealer", "East", "builders merchant", "micro", "", "elena", nil},
	{"R-3008", "Midland Dry Mix Depot", "dealer", "Midlands", "builders merchant", "small", "", "tom", nil},
	{"I-4001", "Fischer Roofing Ltd", "installer", "North", "roofing contractor", "small", "", "tom", []string{"roofing", "certified"}},
	{"I-4002", "DryWall Pros", "installer", "South", "drylining contractor", "micro", "", "elena", nil},
	{"I-4003", "Solid Ground Builders", "installer", "Midlands", "general contractor", "medium", "", "tom", []string{"certified"}},
	{"I-4004", "ThermoShield Insulation Services", "installer", "West", "insulation contractor", "small", "", "elena", []string{"insulation"}},
	{"I-4005", "Coastline Renovations", "installer", "South", "renovation contractor", "micro", "", "elena", nil},
	{"I-4006", "Pennine Facades", "installer", "North", "facade contractor", "small", "", "tom", nil},
	{"E-5001", "Harbour Homes Developments", "end_customer", "South", "housebuilder", "large", "", "elena", []string{"key-account"}},
	{"E-5002", "Greenfield Schools Trust", "end_customer", "Midlands", "education estates", "medium", "", "tom", nil},
	{"F-6001", "Atlas Trade Point Sheffield", "franchisee", "North", "franchise trade counter", "small", "", "tom", []string{"franchise"}},
}

type memberSeed struct {
	org, ext, name, email, phone, channel, locale string
	roles                                         []party.Role
}

var memberSeeds = []memberSeed{
	{"D-1000", "P-1", "Richard Holt", "r.holt@nbs-group.example", "+44 113 496 0101", "email", "en-GB", []party.Role{party.RoleOwner}},
	{"D-1001", "P-2", "Karen Whitfield", "k.whitfield@nbs-group.example", "+44 113 496 0102", "email", "en-GB", []party.Role{party.RolePurchasing}},
	{"D-1001", "P-3", "Dev Patel", "d.patel@nbs-group.example", "+44 7700 900101", "email", "en-GB", []party.Role{party.RoleSales}},
	{"D-1002", "P-4", "Liam O'Connor", "l.oconnor@nbs-group.example", "+44 191 498 0103", "email", "en-GB", []party.Role{party.RoleSales}},
	{"D-1003", "P-5", "Sarah Lindqvist", "s.lindqvist@nbs-group.example", "", "email", "en-GB", []party.Role{party.RoleAccountant}},
	{"D-2000", "P-6", "Olivia Grant", "olivia.grant@capitaltrade.example", "+44 20 7946 0104", "email", "en-GB", []party.Role{party.RoleOwner}},
	{"D-2001", "P-7", "Marcus Reid", "marcus.reid@capitaltrade.example", "+44 20 7946 0105", "email", "en-GB", []party.Role{party.RolePurchasing, party.RoleSales}},
	{"D-2002", "P-8", "Aisha Bello", "aisha.bello@capitaltrade.example", "", "email", "en-GB", []party.Role{party.RoleSales}},
	{"R-3001", "P-9", "George Barnes", "george@brickandbeam.example", "+44 113 496 0106", "email", "en-GB", []party.Role{party.RoleOwner}},
	{"R-3001", "P-10", "Hannah Moss", "hannah@brickandbeam.example", "+44 7700 900102", "email", "en-GB", []party.Role{party.RoleSales}},
	{"R-3001", "P-11", "Ivan Petrov", "", "+44 7700 900103", "sms", "ru-RU", []party.Role{party.RoleForeman}},
	{"R-3002", "P-12", "Nadia Kowalski", "nadia@roofline.example", "+44 7700 900104", "email", "pl-PL", []party.Role{party.RoleOwner, party.RolePurchasing}},
	{"R-3002", "P-13", "Owen Hughes", "owen@roofline.example", "", "email", "en-GB", []party.Role{party.RoleSales}},
	{"R-3003", "P-14", "Fiona Campbell", "fiona@westgate-timber.example", "+44 117 496 0107", "email", "en-GB", []party.Role{party.RoleOwner}},
	{"R-3003", "P-15", "Tariq Hussain", "tariq@westgate-timber.example", "+44 7700 900105", "sms", "en-GB", []party.Role{party.RoleSales}},
	{"R-3004", "P-16", "Chloe Martin", "chloe@harbourdiy.example", "", "email", "en-GB", []party.Role{party.RoleOwner}},
	{"R-3004", "P-17", "Ben Carter", "ben@harbourdiy.example", "", "email", "en-GB", []party.Role{party.RolePurchasing}},
	{"R-3005", "P-18", "Graham Firth", "graham@peakbc.example", "+44 1629 496 108", "email", "en-GB", []party.Role{party.RoleOwner}},
	{"R-3005", "P-19", "Lucy Ashworth", "lucy@peakbc.example", "", "email", "en-GB", []party.Role{party.RoleSales}},
	{"R-3006", "P-20", "Mehmet Yilmaz", "mehmet@severnplaster.example", "+44 7700 900106", "messenger", "tr-TR", []party.Role{party.RoleOwner}},
	{"R-3007", "P-21", "Paul Dunn", "paul@eastfieldyard.example", "", "email", "en-GB", []party.Role{party.RoleOwner, party.RoleSales}},
	{"R-3008", "P-22", "Ravi Menon", "ravi@midlanddrymix.example", "+44 121 496 0109", "email", "en-GB", []party.Role{party.RoleOwner}},
	{"R-3008", "P-23", "Kasia Nowak", "kasia@midlanddrymix.example", "", "email", "pl-PL", []party.Role{party.RoleAccountant}},
	{"I-4001", "P-24", "Stefan Fischer", "stefan@fischer-roofing.example", "+44 7700 900107", "email", "de-DE", []party.Role{party.RoleOwner}},
	{"I-4001", "P-25", "Jack Turner", "", "+44 7700 900108", "sms", "en-GB", []party.Role{party.RoleForeman}},
	{"I-4001", "P-26", "Emma Clarke", "emma@fischer-roofing.example", "", "email", "en-GB", []party.Role{party.RoleEngineer}},
	{"I-4002", "P-27", "Danny Wells", "danny@drywallpros.example", "+44 7700 900109", "sms", "en-GB", []party.Role{party.RoleOwner, party.RoleForeman}},
	{"I-4003", "P-28", "Amara Okoye", "amara@solidground.example", "+44 121 496 0110", "email", "en-GB", []party.Role{party.RoleOwner}},
	{"I-4003", "P-29", "Viktor Horvat", "", "+44 7700 900110", "sms", "hr-HR", []party.Role{party.RoleForeman}},
	{"I-4003", "P-30", "Grace Lee", "grace@solidground.example", "", "email", "en-GB", []party.Role{party.RoleEngineer}},
	{"I-4004", "P-31", "Rhys Morgan", "rhys@thermoshield.example", "+44 29 2018 0111", "email", "en-GB", []party.Role{party.RoleOwner}},
	{"I-4004", "P-32", "Ola Nordmann", "", "+44 7700 900111", "sms", "nb-NO", []party.Role{party.RoleEngineer}},
	{"I-4005", "P-33", "Zara Ahmed", "zara@coastline-reno.example", "+44 7700 900112", "messenger", "en-GB", []party.Role{party.RoleOwner}},
	{"I-4006", "P-34", "Callum Shaw", "callum@penninefacades.example", "", "email", "en-GB", []party.Role{party.RoleOwner}},
	{"I-4006", "P-35", "Bogdan Ionescu", "", "+44 7700 900113", "sms", "ro-RO", []party.Role{party.RoleForeman}},
	{"E-5001", "P-36", "Victoria Hale", "v.hale@harbourhomes.example", "+44 23 8049 0112", "email", "en-GB", []party.Role{party.RolePurchasing}},
	{"E-5001", "P-37", "Noah Evans", "n.evans@harbourhomes.example", "", "email", "en-GB", []party.Role{party.RoleEngineer}},
	{"E-5002", "P-38", "Helen Brooks", "h.brooks@greenfieldschools.example", "", "email", "en-GB", []party.Role{party.RolePurchasing}},
	{"F-6001", "P-39", "Sunil Rao", "sunil@atlas-sheffield.example", "+44 114 496 0113", "email", "en-GB", []party.Role{party.RoleOwner}},
	{"F-6001", "P-40", "Megan Price", "megan@atlas-sheffield.example", "", "email", "en-GB", []party.Role{party.RoleSales}},
}

const dealerTerms = `Atlas Dealer Club — employee incentive terms

1. Employees of a participating organization may earn personal points for training, certification and sales of Atlas products, and redeem them for rewards from the Atlas catalog.
2. No employee earns personal rewards until the organization's owner or director has accepted these terms. Management may revoke its acceptance at any time; earning stops from that moment.
3. Management can see what each of its employees earned and redeemed.
4. Personal rewards are capped at 500 GBP in value per person per calendar quarter.
5. Rewards are not paid in cash. Tax on benefits in kind is reported as required by law.`
