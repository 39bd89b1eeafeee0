package rules

// fieldSet holds the readers of one variable's fields, by their names in
// expressions and by type. A field missing here (of a type the subset does
// not have, such as event.occurred_at) leaves expressions that read it
// with CEL; a test checks every reader against the field of its name.
type fieldSet struct {
	strs    map[string]func(*Vars) string
	ints    map[string]func(*Vars) int64
	bools   map[string]func(*Vars) bool
	lists   map[string]func(*Vars) []string
	intMaps map[string]intMapFn
	strMaps map[string]strMapFn
}

// nativeFields are the readers of the fields of event, org, member and line.
var nativeFields = map[string]fieldSet{
	"event": {
		strs: map[string]func(*Vars) string{
			"type":     func(v *Vars) string { return eventOf(v).Type },
			"source":   func(v *Vars) string { return eventOf(v).Source },
			"currency": func(v *Vars) string { return eventOf(v).Currency },
		},
		ints: map[string]func(*Vars) int64{
			"amount":   func(v *Vars) int64 { return eventOf(v).Amount },
			"quantity": func(v *Vars) int64 { return eventOf(v).Quantity },
		},
		strMaps: map[string]strMapFn{"attributes": func(v *Vars) map[string]string { return eventOf(v).Attributes }},
	},
	"org": {
		strs: map[string]func(*Vars) string{
			"id":       func(v *Vars) string { return orgOf(v).ID },
			"type":     func(v *Vars) string { return orgOf(v).Type },
			"region":   func(v *Vars) string { return orgOf(v).Region },
			"industry": func(v *Vars) string { return orgOf(v).Industry },
			"size":     func(v *Vars) string { return orgOf(v).Size },
			"tier":     func(v *Vars) string { return orgOf(v).Tier },
		},
		ints: map[string]func(*Vars) int64{
			"spend_this_month": func(v *Vars) int64 { return orgOf(v).SpendThisMonth },
			"spend_last_month": func(v *Vars) int64 { return orgOf(v).SpendLastMonth },
			"spend_this_year":  func(v *Vars) int64 { return orgOf(v).SpendThisYear },
			"spend_lifetime":   func(v *Vars) int64 { return orgOf(v).SpendLifetime },
			"orders_lifetime":  func(v *Vars) int64 { return orgOf(v).OrdersLifetime },
			"enrolled_days":    func(v *Vars) int64 { return orgOf(v).EnrolledDays },
		},
		lists: map[string]func(*Vars) []string{
			"tags":     func(v *Vars) []string { return orgOf(v).Tags },
			"plans":    func(v *Vars) []string { return orgOf(v).Plans },
			"segments": func(v *Vars) []string { return orgOf(v).Segments },
		},
		intMaps: map[string]intMapFn{"counters": func(v *Vars) map[string]int64 { return orgOf(v).Counters }},
	},
	"member": {
		strs: map[string]func(*Vars) string{
			"id":   func(v *Vars) string { return memberOf(v).ID },
			"role": func(v *Vars) string { return memberOf(v).Role },
		},
		ints: map[string]func(*Vars) int64{
			"tenure_days": func(v *Vars) int64 { return memberOf(v).TenureDays },
			"birth_month": func(v *Vars) int64 { return memberOf(v).BirthMonth },
		},
		bools: map[string]func(*Vars) bool{"present": func(v *Vars) bool { return memberOf(v).Present }},
		lists: map[string]func(*Vars) []string{"roles": func(v *Vars) []string { return memberOf(v).Roles }},
	},
	"line": {
		strs: map[string]func(*Vars) string{
			"sku":      func(v *Vars) string { return lineOf(v).SKU },
			"category": func(v *Vars) string { return lineOf(v).Category },
			"brand":    func(v *Vars) string { return lineOf(v).Brand },
		},
		ints: map[string]func(*Vars) int64{
			"qty":        func(v *Vars) int64 { return lineOf(v).Qty },
			"unit_price": func(v *Vars) int64 { return lineOf(v).UnitPrice },
			"amount":     func(v *Vars) int64 { return lineOf(v).Amount },
			"cost":       func(v *Vars) int64 { return lineOf(v).Cost },
		},
		bools: map[string]func(*Vars) bool{"on_sale": func(v *Vars) bool { return lineOf(v).OnSale }},
	},
}

// The variables of an evaluation, a nil one read as its zero value (as the
// activation does for CEL).
func eventOf(v *Vars) *Event   { return orZero(v.Event, &zeroEvent) }
func orgOf(v *Vars) *Org       { return orZero(v.Org, &zeroOrg) }
func memberOf(v *Vars) *Member { return orZero(v.Member, &zeroMember) }
func lineOf(v *Vars) *Line     { return orZero(v.Line, &zeroLine) }

func orZero[T any](p, zero *T) *T {
	if p == nil {
		return zero
	}
	return p
}
