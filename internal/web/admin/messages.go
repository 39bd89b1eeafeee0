package admin

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/web"
	"github.com/loyal-b2b/loyal/internal/web/i18n"
)

// What the Messages pages (templates, campaigns, surveys) share: the
// choices their forms offer.

// listedTemplates is how many templates a page reads at once: a tenant
// has tens, so one page holds them all and can be sorted.
const listedTemplates = 500

// memberRoles are the member roles as choices, in the service's order.
func memberRoles(l *i18n.Locale) []web.Option {
	out := make([]web.Option, len(party.Roles))
	for i, r := range party.Roles {
		out[i] = web.Option{Value: string(r), Label: l.T("memberrole." + string(r))}
	}
	return out
}

// templateCodes are the distinct codes of the tenant's templates, sorted:
// what a campaign or a survey names.
func (c *Console) templateCodes(ctx context.Context, p access.Principal) ([]string, error) {
	res, err := c.svc.Messages.Templates(ctx, p, page.Request{Limit: listedTemplates})
	if err != nil {
		return nil, err
	}
	var codes []string
	for _, t := range res.Items {
		codes = append(codes, t.Code)
	}
	slices.Sort(codes)
	return slices.Compact(codes), nil
}

// sortTemplates orders templates by code, then channel × role × language,
// so a code's versions stand together.
func sortTemplates(ts []notify.Template) {
	slices.SortFunc(ts, func(a, b notify.Template) int {
		return cmp.Or(strings.Compare(a.Code, b.Code), strings.Compare(a.Channel, b.Channel),
			strings.Compare(a.Role, b.Role), strings.Compare(a.Lang, b.Lang))
	})
}
