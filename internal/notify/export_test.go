package notify

import "context"

// CheckURLsWith makes s check webhooks' URLs with check instead of
// resolving their hosts.
func CheckURLsWith(s *Service, check func(ctx context.Context, u string, allowPrivate bool) error) {
	s.urlCheck = check
}
