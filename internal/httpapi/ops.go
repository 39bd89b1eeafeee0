package httpapi

import (
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/loyal-b2b/loyal/internal/platform/page"
)

// Shared shapes of operations.

// IDPath is the {id} of a single resource.
type IDPath struct {
	ID string `path:"id" maxLength:"110" doc:"The resource's id; organizations and members also take ext:<external id>"`
}

// PageQuery holds the pagination parameters of every list.
type PageQuery struct {
	Cursor string `query:"cursor" maxLength:"400" doc:"Where to continue: the next_cursor of the previous page"`
	Limit  int    `query:"limit" minimum:"1" maximum:"500" default:"50" doc:"Items per page"`
}

func (q PageQuery) request() (page.Request, error) { return page.Parse(q.Cursor, q.Limit) }

// listBody is one page of a list.
type listBody[T any] struct {
	Items      []T    `json:"items" doc:"The items of this page"`
	NextCursor string `json:"next_cursor,omitempty" doc:"Pass as cursor to get the next page; absent on the last page"`
}

type listOut[T any] struct {
	Body listBody[T]
}

// pageOut converts a page of domain values with conv.
func pageOut[D, T any](p page.Page[D], conv func(D) T) *listOut[T] {
	items := make([]T, len(p.Items))
	for i, d := range p.Items {
		items[i] = conv(d)
	}
	return &listOut[T]{Body: listBody[T]{Items: items, NextCursor: p.Next}}
}

// bodyOut wraps a single representation.
type bodyOut[T any] struct {
	Body T
}

func out[T any](v T) *bodyOut[T] { return &bodyOut[T]{Body: v} }

// op describes an operation; tag groups it in the docs.
func op(id, method, path, tag, summary, desc string) huma.Operation {
	o := huma.Operation{OperationID: id, Method: method, Path: path, Tags: []string{tag}, Summary: summary, Description: desc}
	switch method {
	case http.MethodPost:
		o.DefaultStatus = http.StatusCreated
	case http.MethodDelete:
		o.DefaultStatus = http.StatusNoContent
	}
	o.Errors = []int{400, 401, 403, 404, 409, 422}
	return o
}

// action is a POST that does not create a resource (200, not 201).
func action(o huma.Operation) huma.Operation {
	o.DefaultStatus = http.StatusOK
	return o
}

// bulk raises the body limit of a bulk operation.
func bulk(o huma.Operation) huma.Operation {
	o.MaxBodyBytes = maxBody
	return o
}

// domainIdem marks an operation whose service keeps idempotency keys in its
// own transaction (the ledger): the generic Idempotency-Key middleware
// leaves it alone.
func domainIdem(o huma.Operation) huma.Operation {
	if o.Metadata == nil {
		o.Metadata = map[string]any{}
	}
	o.Metadata["idempotency"] = "domain"
	return o
}

// nonNil makes a nil list encode as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
