package txn

import "sync"

// Together runs fns side by side, each on a goroutine of its own but the
// first, which runs on the caller's. Use it for reads that do not depend
// on one another: separate Reads (each then takes a connection of its
// own) or a store's reads that may share one (the store decides, see
// store.Tx.Together). Every fn has ended when Together returns; it returns
// the first error in the order of fns, and a fn's panic goes on in the
// caller's goroutine, where the server's recovery sees it.
func Together(fns ...func() error) error {
	errs, panics := make([]error, len(fns)), make([]any, len(fns))
	run := func(i int) {
		defer func() { panics[i] = recover() }()
		errs[i] = fns[i]()
	}
	var wg sync.WaitGroup
	for i := 1; i < len(fns); i++ {
		wg.Go(func() { run(i) })
	}
	if len(fns) > 0 {
		run(0)
	}
	wg.Wait()
	for i := range fns {
		if panics[i] != nil {
			panic(panics[i])
		}
		if errs[i] != nil {
			return errs[i]
		}
	}
	return nil
}
