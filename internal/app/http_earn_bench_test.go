package app

import "testing"

// BenchmarkHTTPEarn: POST /v1/ledger/earn over loopback, 64 keep-alive
// clients, 10-point earns spread over 200 wallets, each request with its
// own Idempotency-Key; durable commits. Each b.N iteration is a run of
// 20,000 requests on the engine of $LOYAL_BENCH_ENGINE (SQLite by default).
func BenchmarkHTTPEarn(b *testing.B) {
	r := benchApp(b, 200)
	run := 0
	for b.Loop() {
		run++
		r.drive(b, "earn", run, 20000)
	}
}
