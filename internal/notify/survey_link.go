package notify

import (
	"context"
	"strings"
)

// SurveyTx finds the survey a template's messages carry.
type SurveyTx interface {
	// SurveyForTemplate names the survey sent with a template ("" none).
	SurveyForTemplate(ctx context.Context, tenantID, template string) (string, error)
}

// surveyVar fills {{survey_url}} when the template uses it and a survey
// is sent with its code: a signed link for this person that needs no
// sign-in (a rule's message, a trigger's or a campaign's alike).
func (s *Service) surveyVar(ctx context.Context, d *delivery, v map[string]string) error {
	if s.PublicURL == "" || !strings.Contains(d.tpl.Subject+d.tpl.Body+d.tpl.HTML, "survey_url") {
		return nil
	}
	var id string
	err := s.Store.Read(ctx, func(tx Tx) error {
		var err error
		id, err = tx.SurveyForTemplate(ctx, d.it.TenantID, d.msg.Template)
		return err
	})
	if err != nil || id == "" {
		return err
	}
	secret, err := s.linkKey(ctx, d.it.TenantID)
	if err == nil {
		v["survey_url"] = s.PublicURL + SurveyPath + tokenOf(secret, link{Kind: linkSurvey, TenantID: d.it.TenantID, MessageID: d.person.ID, Target: id})
	}
	return err
}

// SurveyLink reads a survey link's token: whose answer to which survey
// it carries. A bad token is NotFound.
func (s *Service) SurveyLink(ctx context.Context, token string) (tenantID, surveyID, personID string, err error) {
	l, err := s.verify(ctx, token, linkSurvey)
	return l.TenantID, l.Target, l.MessageID, err
}

// SurveyURL is the signed survey link of a person (for tests and a
// resend by hand).
func (s *Service) SurveyURL(ctx context.Context, tenantID, surveyID, personID string) (string, error) {
	secret, err := s.linkKey(ctx, tenantID)
	return s.PublicURL + SurveyPath + tokenOf(secret, link{Kind: linkSurvey, TenantID: tenantID, MessageID: personID, Target: surveyID}), err
}
