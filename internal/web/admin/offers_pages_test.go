package admin_test

// offersPages are the pages of offers, imports and analytics, for the
// checks every page must pass (security_test.go).
func (c *console) offersPages() []string {
	return []string{"/admin/imports", "/admin/analytics/participation", "/admin/analytics/sales", "/admin/analytics/cohorts",
		"/admin/analytics/organizations", "/admin/analytics/economics", "/admin/analytics/uplift"}
}
