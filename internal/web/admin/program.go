package admin

import (
	"net/http"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/program"
	"github.com/loyal-b2b/loyal/internal/web"
)

var programPage = web.Page(files, "program.html")

// programView is a program's page: its status, the moves it may make,
// and its versions newest first, each with what it changed.
type programView struct {
	P        program.Program
	Versions []versionView
	Moves    []string
	Manage   bool
}

type versionView struct {
	V       program.Version
	Changes []change
	By      string // who saved it, by name where the reader may see the staff list
	Always  bool   // in force from the beginning of history (a draft's first version)
}

// moves are the lifecycle moves offered from a status (the service
// decides; this is what the page offers).
var moves = map[string][]string{
	program.Draft:  {program.Active, program.Pilot},
	program.Pilot:  {program.Active, program.Paused, program.Ended},
	program.Active: {program.Paused, program.Ended},
	program.Paused: {program.Active, program.Pilot, program.Ended},
}

func (c *Console) programPage(w http.ResponseWriter, r *http.Request) {
	ctx, p := r.Context(), web.Principal(r)
	pr, err := c.svc.Programs.Get(ctx, p, r.PathValue("id"))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	vs, err := c.svc.Programs.ListVersions(ctx, p, pr.ID)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	d := programView{P: pr, Moves: moves[pr.Status], Manage: canManage(r)}
	if pr.Pending != nil {
		d.Moves = nil // one move waits for approval; decide it first
	}
	names := c.staffNames(r)
	for i := len(vs) - 1; i >= 0; i-- {
		vv := versionView{V: vs[i], By: vs[i].RequestedBy, Always: vs[i].EffectiveFrom.Equal(time.Unix(0, 0))}
		if n, ok := names[vv.By]; ok {
			vv.By = n
		}
		if i > 0 {
			vv.Changes = diffDefinitions(vs[i-1].Definition, vs[i].Definition)
		}
		d.Versions = append(d.Versions, vv)
	}
	c.kit.Render(w, r, http.StatusOK, programPage, c.view(r, "programs", "programs.title", d))
}

// staffNames are the staff's names by id, for those who may list them
// (others see ids).
func (c *Console) staffNames(r *http.Request) map[string]string {
	names := map[string]string{}
	staff, err := c.svc.Tenants.ListStaff(r.Context(), web.Principal(r), page.Request{Limit: 200})
	if err == nil {
		for _, s := range staff.Items {
			names[s.ID] = s.Name
		}
	}
	return names
}
