package notify

import "context"

// Grouper is a Handler whose items may be delivered several at once (a
// webhook that takes batches): Group names the group an item may join
// ("": none, it goes alone) and how many items one delivery may hold;
// DeliverGroup delivers such items together, with one outcome for all
// (each is then marked, retried or dead-lettered on its own).
type Grouper interface {
	Handler
	Group(ctx context.Context, it Item) (key string, size int)
	DeliverGroup(ctx context.Context, items []Item) error
}

// task is one delivery: the indexes of the items it carries, and whether
// they go as a group (even a group of one is delivered as a group: a
// receiver that takes batches always gets them in the batch's form).
type task struct {
	items []int
	group bool
}

// tasks splits a leased batch into deliveries, in the batch's order.
// Items of a group are gathered up to the group's size; everything else
// goes alone.
func (r *Relay) tasks(ctx context.Context, items []Item) []task {
	var tasks []task
	open := map[[2]string]int{} // kind and group key → its task being filled
	for i, it := range items {
		g, ok := r.Handlers[it.Kind].(Grouper)
		key, size := "", 0
		if ok {
			key, size = g.Group(ctx, it)
		}
		if key == "" {
			tasks = append(tasks, task{items: []int{i}})
			continue
		}
		k := [2]string{it.Kind, key}
		if t, ok := open[k]; ok && len(tasks[t].items) < size {
			tasks[t].items = append(tasks[t].items, i)
			continue
		}
		open[k] = len(tasks)
		tasks = append(tasks, task{items: []int{i}, group: true})
	}
	return tasks
}
