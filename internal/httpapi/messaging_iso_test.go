package httpapi_test

// messagingIso is tenant A's messaging data for TestTenantIsolation:
// a webhook, a template and a campaign, and the cases that try them with
// tenant B's key.
type messagingIso struct {
	e               *env
	hook, tpl, camp obj
	survey          obj
	owner, seg      obj
	secrets         []string
	before          string
}

func newMessagingIso(e *env, owner, seg obj) *messagingIso {
	e.t.Helper()
	m := &messagingIso{e: e, owner: owner, seg: seg}
	e.do("POST", "/v1/webhooks", e.keyA, obj{"url": "https://8.8.8.8/a-hook", "types": []string{"*"}, "description": "A's hook"}).must(201, &m.hook)
	e.do("POST", "/v1/templates", e.keyA, obj{"code": "a_news", "channel": "email", "lang": "en", "subject": "A's news", "body": "Hi {{person.name}}"}).must(201, &m.tpl)
	e.do("POST", "/v1/message-campaigns", e.keyA, obj{"name": "A's spring", "template": "a_news", "segment_id": seg["id"]}).must(201, &m.camp)
	e.do("POST", "/v1/people/"+str(owner["id"])+"/devices", e.keyA, obj{"token": "a-device-token", "platform": "ios"}).must(201, nil)
	e.do("PUT", "/v1/messaging/settings", e.keyA, obj{"time_zone": "Europe/Moscow", "quiet_start": "22:00", "quiet_end": "08:00", "daily_cap": 2, "default_lang": "en", "tracking": true}).must(200, nil)
	e.do("POST", "/v1/surveys", e.keyA, obj{"name": "A's survey", "template": "a_survey", "questions": []obj{{"kind": "nps", "text": "A's question?"}}}).must(201, &m.survey)
	m.secrets = []string{str(m.hook["id"]), str(m.hook["secret"]), "a-hook", str(m.tpl["id"]), "A's news", str(m.camp["id"]), "A's spring", "Europe/Moscow",
		str(m.survey["id"]), "A's survey", "A's question?", "a-device-token"}
	m.before = m.snapshot()
	return m
}

func (m *messagingIso) snapshot() string {
	var b []byte
	for _, p := range []string{"/v1/webhooks", "/v1/webhooks/" + str(m.hook["id"]) + "/attempts", "/v1/templates", "/v1/message-campaigns",
		"/v1/messaging/settings", "/v1/people/" + str(m.owner["id"]) + "/messages", "/v1/people/" + str(m.owner["id"]) + "/message-preferences", "/v1/messages/dead",
		"/v1/surveys", "/v1/surveys/" + str(m.survey["id"]) + "/results", "/v1/message-campaigns/" + str(m.camp["id"]) + "/reach",
		"/v1/people/" + str(m.owner["id"]) + "/devices"} {
		b = append(b, m.e.do("GET", p, m.e.keyA, nil).must(200, nil).Body...)
	}
	return string(b)
}

// check fails if tenant B changed any of A's messaging data.
func (m *messagingIso) check() {
	if m.snapshot() != m.before {
		m.e.t.Fatal("tenant B's requests changed tenant A's messaging data")
	}
}

func (m *messagingIso) cases() map[string]isoCase {
	hook, tpl, camp, owner, sv := str(m.hook["id"]), str(m.tpl["id"]), str(m.camp["id"]), str(m.owner["id"]), str(m.survey["id"])
	return map[string]isoCase{
		"create-webhook":             {"POST", "/v1/webhooks", obj{"url": "https://8.8.8.8/b", "types": []string{"*"}}, 201},
		"list-webhooks":              {"GET", "/v1/webhooks", nil, 200},
		"get-webhook":                {"GET", "/v1/webhooks/" + hook, nil, 404},
		"update-webhook":             {"PATCH", "/v1/webhooks/" + hook, obj{"disabled": true}, 404},
		"delete-webhook":             {"DELETE", "/v1/webhooks/" + hook, nil, 404},
		"webhook-action":             {"POST", "/v1/webhooks/" + hook + ":rotate-secret", nil, 404},
		"webhook-attempts":           {"GET", "/v1/webhooks/" + hook + "/attempts", nil, 404},
		"dead-messages":              {"GET", "/v1/messages/dead", nil, 200},
		"replay-message":             {"POST", "/v1/messages/" + hook + ":replay", nil, 404},
		"create-template":            {"POST", "/v1/templates", obj{"code": "a_news", "channel": "email", "lang": "en", "body": "B's"}, 201},
		"list-templates":             {"GET", "/v1/templates", nil, 200},
		"get-template":               {"GET", "/v1/templates/" + tpl, nil, 404},
		"put-template":               {"PUT", "/v1/templates/" + tpl, obj{"code": "x", "channel": "sms", "lang": "en", "body": "B"}, 404},
		"delete-template":            {"DELETE", "/v1/templates/" + tpl, nil, 404},
		"template-action":            {"POST", "/v1/templates/" + tpl + ":preview", obj{"person_id": owner}, 404},
		"person-messages":            {"GET", "/v1/people/" + owner + "/messages", nil, 404},
		"read-person-message":        {"POST", "/v1/people/" + owner + "/messages/" + tpl + ":read", nil, 404},
		"get-message-preferences":    {"GET", "/v1/people/" + owner + "/message-preferences", nil, 404},
		"put-message-preferences":    {"PUT", "/v1/people/" + owner + "/message-preferences", obj{"opted_out": []string{"all"}}, 404},
		"get-messaging-settings":     {"GET", "/v1/messaging/settings", nil, 200},
		"put-messaging-settings":     {"PUT", "/v1/messaging/settings", obj{"time_zone": "UTC", "quiet_start": "00:00", "quiet_end": "00:00", "daily_cap": 9, "default_lang": "ru", "tracking": false}, 200},
		"create-message-campaign":    {"POST", "/v1/message-campaigns", obj{"name": "B", "template": "a_news", "segment_id": str(m.seg["id"])}, 422},
		"list-message-campaigns":     {"GET", "/v1/message-campaigns", nil, 200},
		"get-message-campaign":       {"GET", "/v1/message-campaigns/" + camp, nil, 404},
		"message-campaign-action":    {"POST", "/v1/message-campaigns/" + camp + ":send", nil, 404},
		"get-message-campaign-reach": {"GET", "/v1/message-campaigns/" + camp + "/reach", nil, 404},
		"create-survey":              {"POST", "/v1/surveys", obj{"name": "B's", "template": "a_survey", "questions": []obj{{"kind": "text", "text": "B?"}}}, 201},
		"list-surveys":               {"GET", "/v1/surveys", nil, 200},
		"get-survey":                 {"GET", "/v1/surveys/" + sv, nil, 404},
		"get-survey-results":         {"GET", "/v1/surveys/" + sv + "/results", nil, 404},
		"answer-survey":              {"POST", "/v1/surveys/" + sv + "/answers", obj{"person_id": owner, "answers": []obj{{"question_id": "q1", "score": 1}}}, 404},
		"person-devices":             {"GET", "/v1/people/" + owner + "/devices", nil, 404},
		"register-device":            {"POST", "/v1/people/" + owner + "/devices", obj{"token": "b-token"}, 404},
		"unregister-device":          {"DELETE", "/v1/people/" + owner + "/devices/a-device-token", nil, 404},
	}
}
