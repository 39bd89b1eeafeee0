package admin

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/loyal-b2b/loyal/internal/claim"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/program"
	"github.com/loyal-b2b/loyal/internal/reward"
	"github.com/loyal-b2b/loyal/internal/web"
)

var approvalsPage = web.Page(files, "approvals.html")

// approvals is the one inbox: everything that waits for a person's
// decision, oldest first, each with what it is about.
type approvals struct {
	Claims      []item[claim.Claim]
	Adjustments []item[ledger.Adjustment]
	Redemptions []item[reward.Redemption]
	Versions    []item[program.Version]
	Activations []item[program.Program] // drafts waiting to start running
	Error       string
	Me          string // the signed-in user's name in records, to spot their own requests
}

// item is one thing waiting, with the names it refers to.
type item[T any] struct {
	V       T
	OrgID   string
	OrgName string
	Mine    bool // requested by the signed-in user: a colleague must decide
}

func (c *Console) approvalRoutes(m *http.ServeMux) {
	m.HandleFunc("GET "+Root+"/approvals", c.approvals)
	m.HandleFunc("POST "+Root+"/approvals/{kind}/{id}/{decision}", c.decide)
	m.HandleFunc("POST "+Root+"/approvals/versions/{id}/{version}/{decision}", c.decideVersion)
	m.HandleFunc("GET "+Root+"/claims/{id}/document", c.claimDocument)
}

func (c *Console) approvals(w http.ResponseWriter, r *http.Request) {
	c.showApprovals(w, r, "", http.StatusOK)
}

func (c *Console) showApprovals(w http.ResponseWriter, r *http.Request, problem string, status int) {
	ctx, p := r.Context(), web.Principal(r)
	first := page.Request{Limit: 50}
	d := approvals{Error: problem, Me: p.Name()}
	orgName := map[string]string{}
	name := func(id string) string {
		if n, ok := orgName[id]; ok {
			return n
		}
		if o, err := c.svc.Party.GetOrganization(ctx, p, id); err == nil {
			orgName[id] = o.Name
		}
		return orgName[id]
	}
	if cl, err := c.svc.Claims.List(ctx, p, "", claim.Pending, first); err == nil {
		for _, x := range cl.Items {
			d.Claims = append(d.Claims, item[claim.Claim]{V: x, OrgID: x.OrganizationID, OrgName: name(x.OrganizationID)})
		}
	}
	if adj, err := c.svc.Ledger.ListAdjustments(ctx, p, ledger.AdjustmentPending, first); err == nil {
		for _, x := range adj.Items {
			it := item[ledger.Adjustment]{V: x, Mine: x.RequestedBy == p.Name()}
			if a, err := c.svc.Ledger.GetAccount(ctx, p, x.AccountID); err == nil && a.OwnerType == ledger.OwnerOrganization {
				it.OrgID, it.OrgName = a.OwnerID, name(a.OwnerID)
			} else if err != nil {
				continue // an account manager sees only their own accounts' adjustments
			}
			d.Adjustments = append(d.Adjustments, it)
		}
	}
	if red, err := c.svc.Rewards.ListRedemptions(ctx, p, reward.RedemptionFilter{Status: reward.AwaitingOperator}, first); err == nil {
		for _, x := range red.Items {
			d.Redemptions = append(d.Redemptions, item[reward.Redemption]{V: x, OrgID: x.OrganizationID, OrgName: name(x.OrganizationID)})
		}
	}
	if vs, err := c.svc.Programs.PendingVersions(ctx, p); err == nil {
		for _, v := range vs {
			it := item[program.Version]{V: v, Mine: v.RequestedBy == p.Name()}
			if pr, err := c.svc.Programs.Get(ctx, p, v.ProgramID); err == nil {
				it.OrgName = pr.Name // the program's name, in the same slot
			}
			d.Versions = append(d.Versions, it)
		}
	}
	if acts, err := c.svc.Programs.PendingActivations(ctx, p); err == nil {
		for _, pr := range acts {
			d.Activations = append(d.Activations, item[program.Program]{V: pr, Mine: pr.Pending.RequestedBy == p.Name()})
		}
	}
	c.kit.Render(w, r, status, approvalsPage, c.view(r, "approvals", "approvals.title", d))
}

// decide approves or rejects one item; a rejection needs its reason.
func (c *Console) decide(w http.ResponseWriter, r *http.Request) {
	ctx, p, l := r.Context(), web.Principal(r), c.kit.Locale(r)
	_ = r.ParseForm()
	kind, id, dec := r.PathValue("kind"), r.PathValue("id"), r.PathValue("decision")
	reason := strings.TrimSpace(r.PostForm.Get("reason"))
	if dec != "approve" && dec != "reject" {
		http.NotFound(w, r)
		return
	}
	if dec == "reject" && reason == "" {
		c.showApprovals(w, r, l.T("approvals.reason_needed"), http.StatusUnprocessableEntity)
		return
	}
	var err error
	approve := dec == "approve"
	switch kind {
	case "claims":
		if approve {
			_, err = c.svc.Claims.Approve(ctx, p, id)
		} else {
			_, err = c.svc.Claims.Reject(ctx, p, id, reason)
		}
	case "adjustments":
		_, _, err = c.svc.Ledger.Decide(ctx, p, id, approve, reason)
	case "redemptions":
		if approve {
			_, err = c.svc.Rewards.Approve(ctx, p, id, reward.Decision{Note: reason})
		} else {
			_, err = c.svc.Rewards.Reject(ctx, p, id, reward.Decision{Note: reason})
		}
	case "activations":
		_, err = c.svc.Programs.DecideActivation(ctx, p, id, approve, reason)
	default:
		http.NotFound(w, r)
		return
	}
	if err != nil {
		if errs.KindOf(err) == errs.Internal {
			c.fail(w, r, err)
			return
		}
		c.showApprovals(w, r, errs.As(err).Message, web.StatusOf(err))
		return
	}
	http.Redirect(w, r, Root+"/approvals?done="+dec+"d", http.StatusSeeOther)
}

// decideVersion approves or rejects a program version waiting for a
// second person.
func (c *Console) decideVersion(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	dec := r.PathValue("decision")
	n, err := strconv.Atoi(r.PathValue("version"))
	if err != nil || (dec != "approve" && dec != "reject") {
		http.NotFound(w, r)
		return
	}
	reason := strings.TrimSpace(r.PostForm.Get("reason"))
	if dec == "reject" && reason == "" {
		c.showApprovals(w, r, c.kit.Locale(r).T("approvals.reason_needed"), http.StatusUnprocessableEntity)
		return
	}
	if _, err := c.svc.Programs.DecideVersion(r.Context(), web.Principal(r), r.PathValue("id"), n, dec == "approve", reason); err != nil {
		if errs.KindOf(err) == errs.Internal {
			c.fail(w, r, err)
			return
		}
		c.showApprovals(w, r, errs.As(err).Message, web.StatusOf(err))
		return
	}
	http.Redirect(w, r, Root+"/approvals?done="+dec+"d", http.StatusSeeOther)
}

// claimDocument serves a claim's document to show beside it: only images
// and PDFs, as uploaded, never interpreted as a page of this site.
func (c *Console) claimDocument(w http.ResponseWriter, r *http.Request) {
	info, data, err := c.svc.Claims.Document(r.Context(), web.Principal(r), r.PathValue("id"))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	ct := info.ContentType
	switch ct {
	case "application/pdf", "image/png", "image/jpeg", "image/webp", "image/gif":
	default:
		ct = "application/octet-stream"
		w.Header().Set("Content-Disposition", "attachment")
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Cache-Control", "private, no-store")
	_, _ = w.Write(data)
}
