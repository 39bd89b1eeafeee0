package defform

// celFields are the definition's CEL fields by JSON name, with what they
// must yield.
var celFields = map[string]string{
	"condition": "condition",
	"lines":     "condition", // a line filter: line is in scope
	"points":    "amount",    // string points only: the int points of caps and per are numbers
	"value":     "amount",
}

// choices are the known values of the definition's enumerations, by JSON
// name; "" is "the default".
var choices = map[string][]string{
	"beneficiary":           {"", "organization", "member", "both"},
	"to":                    {"", "organization", "member", "both"},
	"enrollment":            {"", "auto", "explicit"},
	"unknown_organizations": {"", "reject", "create"},
	"stacking":              {"", "best_of", "additive", "exclusive_groups"},
	"return_policy":         {"", "other_lots", "source_only", "allow_negative"},
	"history":               {"", "program", "all"},
	"type":                  {"earn", "multiply", "stamps", "reward", "coupon", "counter", "message"},
	"kind":                  {"percent", "fixed_amount", "card", "cumulative", "order_threshold", "quantity_brackets", "amount_brackets", "nth_item"},
	"basis":                 {"", "lifetime", "previous_month", "rolling_12_months"},
	"over":                  {"", "item", "scope"},
	"per":                   {"organization", "member", "rule"},
	"period":                {"day", "month", "quarter", "year", "lifetime"},
	"metric":                {"spend", "quantity", "points", "orders"},
	"window":                {"calendar_year", "rolling_12_months", "previous_month", "lifetime"},
	"review":                {"month", "year"},
	"cap_period":            {"", "month", "quarter", "year"},
	"on_return":             {"", "forfeit", "restore"},
}
