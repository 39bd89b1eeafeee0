package httpapi

import (
	"path"
	"reflect"
	"strings"
	"sync"

	"github.com/danielgtaylor/huma/v2"
)

// schemaNamer names schemas like huma's default namer (the type's short
// name), except that a type whose short name a type of another package
// took first gets its package's name in front: promo.Redemption stays
// "Redemption", reward.Redemption becomes "RewardRedemption". Domain
// packages name their types for their own readers; the API's document
// must still give each a distinct name.
func schemaNamer() func(reflect.Type, string) string {
	var mu sync.Mutex
	taken := map[string]reflect.Type{}
	return func(t reflect.Type, hint string) string {
		name := huma.DefaultSchemaNamer(t, hint)
		d := t
		for d.Kind() == reflect.Pointer {
			d = d.Elem()
		}
		mu.Lock()
		defer mu.Unlock()
		if prev, ok := taken[name]; ok && prev != d && d.Name() != "" && d.PkgPath() != "" {
			pkg := path.Base(d.PkgPath())
			name = strings.ToUpper(pkg[:1]) + pkg[1:] + name
		}
		if _, ok := taken[name]; !ok {
			taken[name] = d
		}
		return name
	}
}
