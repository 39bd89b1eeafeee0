package survey

import (
	"context"
	"strconv"
	"strings"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// Where an answer was given.
const (
	ViaPortal = "portal"
	ViaEmail  = "email"
	ViaAPI    = "api"
)

// Answer records a person's answers: a member for themselves (the
// portal), or staff and integrators on a person's behalf (the API, the
// events right). A second answer to the same survey is refused.
func (s *Service) Answer(ctx context.Context, p access.Principal, surveyID, personID string, in []Answer) (Response, error) {
	via := ViaPortal
	if p.IsMember() {
		if personID != p.ActorID {
			return Response{}, errs.NotFoundf("survey", surveyID)
		}
	} else if err := p.Can(access.IngestEvents); err != nil {
		return Response{}, err
	} else {
		via = ViaAPI
	}
	return s.submit(ctx, p, surveyID, personID, in, via)
}

// AnswerByLink records the answers of the person an e-mail's signed
// survey link names; the link is the proof, no sign-in is needed.
func (s *Service) AnswerByLink(ctx context.Context, tenantID, surveyID, personID string, in []Answer) (Response, error) {
	return s.submit(ctx, access.System(tenantID), surveyID, personID, in, ViaEmail)
}

// Open reads a survey for a person about to answer it, and whether they
// already have.
func (s *Service) Open(ctx context.Context, tenantID, surveyID, personID string) (Survey, bool, error) {
	var answered bool
	sv, err := txn.Get(ctx, s.Store, func(tx Tx) (Survey, error) {
		sv, err := tx.GetSurvey(ctx, tenantID, surveyID)
		if err == nil {
			answered, err = tx.HasSurveyAnswer(ctx, tenantID, surveyID, personID)
		}
		return sv, err
	})
	return sv, answered, err
}

// submit checks the answers, ingests the survey event (its external id
// is the survey's and person's, so a retry after a failure ingests it
// once) and stores the response. Bad input writes nothing.
func (s *Service) submit(ctx context.Context, p access.Principal, surveyID, personID string, in []Answer, via string) (Response, error) {
	var sv Survey
	var m party.Member
	err := s.Store.Read(ctx, func(tx Tx) error {
		var err error
		if sv, err = tx.GetSurvey(ctx, p.TenantID, surveyID); err != nil {
			return err
		}
		if m, err = tx.GetMember(ctx, p.TenantID, personID); err != nil {
			return err
		}
		if !p.IsMember() {
			if err := p.RequireReach(ctx, tx, "member", m.ID); err != nil {
				return err
			}
		}
		done, err := tx.HasSurveyAnswer(ctx, p.TenantID, surveyID, personID)
		if err == nil && done {
			err = errAnswered
		}
		return err
	})
	if err != nil {
		return Response{}, err
	}
	answers, err := sv.checkAnswers(in)
	if err == nil && len(answers) == 0 {
		err = errs.E(errs.Invalid, "no_answers", "answer at least one question")
	}
	if err != nil {
		return Response{}, err
	}
	r := Response{SurveyID: sv.ID, PersonID: m.ID, Answers: answers, Via: via, At: s.Clock.Now()}
	if err := s.ingest(ctx, sv, m, r); err != nil {
		return Response{}, err
	}
	return r, s.Store.Write(ctx, func(tx Tx) error {
		ok, err := tx.InsertSurveyAnswer(ctx, p.TenantID, r)
		if err == nil && !ok {
			err = errAnswered
		}
		return err
	})
}

var errAnswered = errs.E(errs.Conflict, "already_answered", "this survey has been answered already; each person answers it once")

// ingest sends the answer as a "survey" event of the person's
// organization: the survey's id and template, and each score or choice
// by question id (texts stay out of events). An event the ingestion
// refuses (the organization closed, …) is not rewarded; the answer still
// counts.
func (s *Service) ingest(ctx context.Context, sv Survey, m party.Member, r Response) error {
	if s.Events == nil {
		return nil
	}
	attrs := map[string]string{"survey_id": sv.ID, "survey": sv.Template, "via": r.Via}
	for _, a := range r.Answers {
		switch {
		case a.Score != nil:
			attrs[a.QuestionID] = strconv.Itoa(*a.Score)
		case len(a.Choices) > 0:
			attrs[a.QuestionID] = strings.Join(a.Choices, "|")
		}
	}
	_, err := s.Events.IngestOwn(ctx, access.System(sv.TenantID), events.Input{Type: engine.Survey, Source: Source,
		ExternalID: sv.ID + ":" + m.ID, OccurredAt: r.At, Organization: m.OrganizationID, Member: m.ID, Attributes: attrs})
	if k := errs.KindOf(err); k == errs.Invalid || k == errs.NotFound || k == errs.Conflict || k == errs.Forbidden {
		return nil
	}
	return err
}

// Sent lists the surveys a member was sent (by any channel) and may
// answer in the portal, with whether they have.
func (s *Service) Sent(ctx context.Context, p access.Principal) ([]Survey, error) {
	if !p.IsMember() {
		return nil, errs.E(errs.Forbidden, "members_only", "the portal's surveys are a member's own")
	}
	return txn.Get(ctx, s.Store, func(tx Tx) ([]Survey, error) { return tx.SentSurveys(ctx, p.TenantID, p.ActorID) })
}
