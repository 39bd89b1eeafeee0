package pricing

// Matches reports whether a line is in the scope (not on sale when the
// scope excludes sale items). Callers that count units per discount, such
// as the engine's yearly volume brackets, use it to count what Price will.
func (s Scope) Matches(l Line) bool {
	in, _ := inScope(&s, &l)
	return in
}
