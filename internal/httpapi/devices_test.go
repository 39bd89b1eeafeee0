package httpapi_test

import "testing"

// An integrator's mobile app registers and unregisters a person's push
// devices; bad input is refused with the field to fix; another tenant's
// key sees nothing of them.
func TestPushDevicesAPI(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		o := e.createOrg(obj{"type": "dealer", "name": "Northern Dealer"})
		m := e.createMember(obj{"organization_id": o["id"], "name": "Ann", "roles": []string{"owner"}})
		path := "/v1/people/" + str(m["id"]) + "/devices"
		var d obj
		e.do("POST", path, e.keyA, obj{"token": "fcm:AAA-111_x", "platform": "ios"}).must(201, &d)
		if d["token"] != "fcm:AAA-111_x" || d["platform"] != "ios" || d["person_id"] != m["id"] {
			t.Fatalf("registered %v", d)
		}
		e.do("POST", path, e.keyA, obj{"token": "fcm:AAA-111_x", "platform": "ios"}).must(201, nil) // again: still one
		e.do("POST", path, e.keyA, obj{"token": "two words"}).fails(422, "validation_failed", "token")
		e.do("POST", path, e.keyA, obj{"token": "x", "platform": "nokia"}).fails(422, "validation_failed", "platform")
		e.do("POST", path, e.keyB, obj{"token": "b"}).must(404, nil)
		e.do("GET", path, e.keyB, nil).must(404, nil)
		var l list
		e.do("GET", path, e.keyA, nil).must(200, &l)
		if len(l.Items) != 1 {
			t.Fatalf("devices %v, want one", l.Items)
		}
		e.do("DELETE", path+"/fcm:AAA-111_x", e.keyB, nil).must(404, nil)
		e.do("DELETE", path+"/fcm:AAA-111_x", e.keyA, nil).must(204, nil)
		e.do("DELETE", path+"/fcm:AAA-111_x", e.keyA, nil).must(404, nil)
		e.do("GET", path, e.keyA, nil).must(200, &l)
		if len(l.Items) != 0 {
			t.Fatalf("devices after unregistering: %v", l.Items)
		}
	})
}
