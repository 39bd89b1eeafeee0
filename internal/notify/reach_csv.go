package notify

import "strconv"

// CSV lays a reach out as rows: the whole audience, each role, each
// segment, and each role in each segment (an empty cell: all).
func (r Reach) CSV() [][]string {
	rows := [][]string{{"segment_id", "segment", "role", "audience", "delivered", "opened", "clicked"}}
	line := func(segID, seg, role string, c Counts) {
		rows = append(rows, []string{segID, seg, role, strconv.Itoa(c.Audience), strconv.Itoa(c.Delivered), strconv.Itoa(c.Opened), strconv.Itoa(c.Clicked)})
	}
	line("", "", "", r.Total)
	for _, x := range r.ByRole {
		line("", "", x.Role, x.Counts)
	}
	for _, s := range r.BySegment {
		line(s.SegmentID, s.Name, "", s.Counts)
		for _, x := range s.ByRole {
			line(s.SegmentID, s.Name, x.Role, x.Counts)
		}
	}
	return rows
}
