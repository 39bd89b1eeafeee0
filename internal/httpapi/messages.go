package httpapi

import (
	"context"
	"net/http"
	"strings"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

type personInbox struct {
	IDPath
	PageQuery
}

type inboxVerb struct {
	IDPath
	Target string `path:"target" maxLength:"120" doc:"<message id>:read"`
}

type prefsPut struct {
	IDPath
	Body struct {
		OptedOut []string `json:"opted_out" maxItems:"5" doc:"Channels the person withdrew from: email, sms, push, portal, or all"`
	}
}

type messagingSettingsPut struct {
	Body notify.Settings
}

type templateBody struct {
	Code    string `json:"code" maxLength:"60"`
	Channel string `json:"channel" maxLength:"10"`
	Role    string `json:"role,omitempty" maxLength:"20"`
	Lang    string `json:"lang" maxLength:"10"`
	Subject string `json:"subject,omitempty" maxLength:"300"`
	Body    string `json:"body" maxLength:"20000"`
	HTML    string `json:"html,omitempty" maxLength:"100000"`
}

func (b templateBody) template() notify.Template {
	return notify.Template{Code: b.Code, Channel: b.Channel, Role: b.Role, Lang: b.Lang, Subject: b.Subject, Body: b.Body, HTML: b.HTML}
}

type templateCreate struct{ Body templateBody }

type templatePut struct {
	IDPath
	Body templateBody
}

type templateVerb struct {
	Target string `path:"id" maxLength:"120" doc:"<template id>:preview or <template id>:test"`
	Body   struct {
		PersonID string `json:"person_id" maxLength:"110" doc:"The member to render for, or to send to"`
	}
}

func (a *API) messageRoutes() {
	const tag = "Messages"
	svc := a.svc.Notify
	handle(a, op("person-messages", http.MethodGet, "/v1/people/{id}/messages", tag, "A person's inbox",
		"Needs read scope. The member's in-portal messages, newest first."),
		func(ctx context.Context, p access.Principal, in *personInbox) (*listOut[notify.InboxMessage], error) {
			r, err := in.request()
			if err != nil {
				return nil, err
			}
			pg, err := svc.Inbox(ctx, p, in.ID, r)
			return pageOut(pg, func(m notify.InboxMessage) notify.InboxMessage { return m }), err
		})
	handle(a, action(op("read-person-message", http.MethodPost, "/v1/people/{id}/messages/{target}", tag, "Mark a message read",
		"Needs read scope. POST /v1/people/{id}/messages/{message id}:read.")),
		func(ctx context.Context, p access.Principal, in *inboxVerb) (*struct{}, error) {
			msg, ok := strings.CutSuffix(in.Target, ":read")
			if !ok {
				return nil, errs.E(errs.NotFound, "not_found", "no such operation: POST /v1/people/{id}/messages/{message id}:read")
			}
			return nil, svc.MarkRead(ctx, p, in.ID, msg)
		})
	handle(a, op("get-message-preferences", http.MethodGet, "/v1/people/{id}/message-preferences", tag, "A person's channel choices", "Needs read scope."),
		func(ctx context.Context, p access.Principal, in *IDPath) (*bodyOut[notify.Preferences], error) {
			pr, err := svc.GetPreferences(ctx, p, in.ID)
			return out(pr), err
		})
	handle(a, op("put-message-preferences", http.MethodPut, "/v1/people/{id}/message-preferences", tag, "Set a person's channel choices",
		"Needs the right to edit people. Replaces the channels the person withdrew from (all: every message, the inbox included)."),
		func(ctx context.Context, p access.Principal, in *prefsPut) (*bodyOut[notify.Preferences], error) {
			pr, err := svc.SetPreferences(ctx, p, in.ID, in.Body.OptedOut)
			return out(pr), err
		})
	handle(a, op("get-messaging-settings", http.MethodGet, "/v1/messaging/settings", tag, "Messaging settings", "Needs read scope."),
		func(ctx context.Context, p access.Principal, _ *struct{}) (*bodyOut[notify.Settings], error) {
			st, err := svc.GetSettings(ctx, p)
			return out(st), err
		})
	handle(a, op("put-messaging-settings", http.MethodPut, "/v1/messaging/settings", tag, "Change messaging settings",
		"Needs the messages.manage right. Time zone, quiet hours, the daily cap per person, the default language, tracking."),
		func(ctx context.Context, p access.Principal, in *messagingSettingsPut) (*bodyOut[notify.Settings], error) {
			st, err := svc.PutSettings(ctx, p, in.Body)
			return out(st), err
		})
	a.templateRoutes()
	a.messageCampaignRoutes()
	a.campaignReachRoutes()
	a.deviceRoutes()
}

func (a *API) templateRoutes() {
	const tag = "Messages"
	svc := a.svc.Notify
	handle(a, op("create-template", http.MethodPost, "/v1/templates", tag, "Create a message template",
		"Needs the messages.manage right. One per code × channel × role × language; {{variables}} are checked (an unknown one is refused with its line and column)."),
		func(ctx context.Context, p access.Principal, in *templateCreate) (*bodyOut[notify.Template], error) {
			t, err := svc.CreateTemplate(ctx, p, in.Body.template())
			return out(t), err
		})
	handle(a, op("list-templates", http.MethodGet, "/v1/templates", tag, "List message templates", "Needs read scope."),
		func(ctx context.Context, p access.Principal, in *PageQuery) (*listOut[notify.Template], error) {
			r, err := in.request()
			if err != nil {
				return nil, err
			}
			pg, err := svc.Templates(ctx, p, r)
			return pageOut(pg, func(t notify.Template) notify.Template { return t }), err
		})
	handle(a, op("get-template", http.MethodGet, "/v1/templates/{id}", tag, "Get a message template", "Needs read scope."),
		func(ctx context.Context, p access.Principal, in *IDPath) (*bodyOut[notify.Template], error) {
			t, err := svc.GetTemplate(ctx, p, in.ID)
			return out(t), err
		})
	handle(a, op("put-template", http.MethodPut, "/v1/templates/{id}", tag, "Replace a message template", "Needs the messages.manage right."),
		func(ctx context.Context, p access.Principal, in *templatePut) (*bodyOut[notify.Template], error) {
			t, err := svc.UpdateTemplate(ctx, p, in.ID, in.Body.template())
			return out(t), err
		})
	handle(a, op("delete-template", http.MethodDelete, "/v1/templates/{id}", tag, "Delete a message template", "Needs the messages.manage right."),
		func(ctx context.Context, p access.Principal, in *IDPath) (*struct{}, error) {
			return nil, svc.DeleteTemplate(ctx, p, in.ID)
		})
	handle(a, action(op("template-action", http.MethodPost, "/v1/templates/{id}", tag, "Preview a template for a person, or send it to them",
		"POST /v1/templates/{id}:preview renders it with a real member's figures (read scope); POST /v1/templates/{id}:test queues it to the member by the template's channel now (messages.manage).")),
		func(ctx context.Context, p access.Principal, in *templateVerb) (*bodyOut[any], error) {
			if id, ok := strings.CutSuffix(in.Target, ":preview"); ok {
				pv, err := svc.PreviewTemplate(ctx, p, id, in.Body.PersonID)
				return out[any](pv), err
			}
			id, ok := strings.CutSuffix(in.Target, ":test")
			if !ok {
				return nil, errs.E(errs.NotFound, "not_found", "no such operation: POST /v1/templates/{id}:preview or {id}:test")
			}
			msgID, err := svc.TestSend(ctx, p, id, in.Body.PersonID)
			return out[any](map[string]string{"message_id": msgID, "status": "queued"}), err
		})
}
