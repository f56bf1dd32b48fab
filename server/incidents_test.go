package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/incident"
	"github.com/gridmap/gridmap/stats"
)

const goodReport = `{"lon":120.285,"lat":31.905,"category":"市容环境","source":"12345","description":"垃圾堆放","reporter":{"name":"张三丰","phone":"13912345678"}}`

// TestIncidentLoop follows one incident from its report to its closure
// over HTTP: located in the test point's chain, retried safely, dispatched
// to the finest grid's responsible person, advanced by that grid worker
// on its phone, refused steps answered 403 and 409, and its history whole.
func TestIncidentLoop(t *testing.T) {
	env := newIncidentEnv(t)
	inc := env.report(t, "reporter", goodReport, http.StatusCreated, "Idempotency-Key: call-0001")
	if inc.ID <= 0 || inc.Status != incident.Reported || len(inc.Chain) == 0 || inc.Chain[0].Code != env.chain[0] {
		t.Fatalf("reported %+v, want status reported in chain %v", inc, env.chain)
	}
	if inc.Reporter.Phone != "139****5678" || inc.Reporter.Name != "张**" {
		t.Errorf("a reporter key sees the reporter as %+v, want masked", inc.Reporter)
	}
	// retries: same key, then same source and external_ref
	status, h, b := env.call(t, "reporter", "POST", "/api/v1/incidents", goodReport, "Idempotency-Key: call-0001")
	var again incident.Incident
	json.Unmarshal(b, &again)
	if status != http.StatusOK || h.Get("Idempotent-Replayed") != "true" || again.ID != inc.ID {
		t.Errorf("retry with the same key: %d %q id %d, want 200 replayed id %d", status, h.Get("Idempotent-Replayed"), again.ID, inc.ID)
	}
	withRef := `{"lon":120.285,"lat":31.905,"category":"治安","source":"110","external_ref":"110-2025-7"}`
	first := env.report(t, "reporter", withRef, http.StatusCreated)
	if second := env.report(t, "reporter", withRef, http.StatusOK); second.ID != first.ID {
		t.Errorf("repeat of source+external_ref made incident %d, want %d", second.ID, first.ID)
	}

	steps := []struct {
		who, body string
		status    int
		code      string
		after     incident.Status
	}{
		{"worker", `{"action":"assess"}`, http.StatusForbidden, "forbidden", incident.Reported},
		{"dispatcher", `{"action":"close"}`, http.StatusConflict, "not_allowed", incident.Reported},
		{"reporter", `{"action":"assess"}`, http.StatusForbidden, "forbidden", incident.Reported},
		{"", `{"action":"assess"}`, http.StatusUnauthorized, "unauthorized", incident.Reported},
		{"dispatcher", `{"action":"assess","note":"属实"}`, http.StatusOK, "", incident.Assessed},
		{"dispatcher", `{"action":"dispatch"}`, http.StatusOK, "", incident.Dispatched},
		{"worker2", `{"action":"accept"}`, http.StatusForbidden, "forbidden", incident.Dispatched},
		{"worker", `{"action":"accept"}`, http.StatusOK, "", incident.Handling},
		{"worker", `{"action":"handle","note":"已清理"}`, http.StatusOK, "", incident.Handled},
		{"supervisor", `{"action":"feedback","rating":9}`, http.StatusBadRequest, "invalid_field", incident.Handled},
		{"supervisor", `{"action":"feedback","rating":5}`, http.StatusOK, "", incident.Feedback},
		{"supervisor", `{"action":"close"}`, http.StatusOK, "", incident.Closed},
		{"admin", `{"action":"close"}`, http.StatusConflict, "not_allowed", incident.Closed},
	}
	for i, s := range steps {
		status, b := env.act(t, s.who, inc.ID, s.body)
		if status != s.status || s.code != "" && codeOf(b) != s.code {
			t.Fatalf("step %d, %s %s: %d %s, want %d %s", i, s.who, s.body, status, b, s.status, s.code)
		}
		var got incidentDetail
		env.getJSON(t, "admin", "/api/v1/incidents/"+itoa(int64(inc.ID)), &got)
		if got.Incident.Status != s.after {
			t.Fatalf("after step %d: status %s, want %s", i, got.Incident.Status, s.after)
		}
		if s.status == http.StatusOK && s.after == incident.Dispatched && got.Incident.Assignee != "S1" {
			t.Errorf("dispatched to %q, want S1, the finest grid's 专职网格员", got.Incident.Assignee)
		}
	}
	var d incidentDetail
	env.getJSON(t, "dispatcher", "/api/v1/incidents/"+itoa(int64(inc.ID)), &d)
	var actions []string
	for _, tr := range d.History {
		actions = append(actions, string(tr.Action))
	}
	if got := strings.Join(actions, " "); got != "report assess dispatch accept handle feedback close" {
		t.Errorf("history %s", got)
	}
	if d.Incident.Rating != 5 || d.Incident.Reporter.Phone != "13912345678" {
		t.Errorf("closed incident: rating %d, reporter %+v (a dispatcher sees it whole)", d.Incident.Rating, d.Incident.Reporter)
	}
	if d.History[3].Actor.Staff != "S1" || d.History[3].Actor.Role != "grid_worker" {
		t.Errorf("accept attributed to %+v, want the grid worker S1", d.History[3].Actor)
	}
}

type incidentDetail struct {
	Incident incident.Incident     `json:"incident"`
	History  []incident.Transition `json:"history"`
}

type incidentPage struct {
	Incidents []incident.Incident `json:"incidents"`
	Next      string              `json:"next"`
}

// TestReportRefused: a point outside every grid is a 422 outside; bad and
// unknown members are 400s naming them.
func TestReportRefused(t *testing.T) {
	env := newIncidentEnv(t)
	for _, tc := range []struct {
		name, body string
		status     int
		code       string
	}{
		{"outside", `{"lon":100,"lat":30,"category":"治安","source":"110"}`, http.StatusUnprocessableEntity, "outside"},
		{"no category", `{"lon":120.285,"lat":31.905,"source":"110"}`, http.StatusBadRequest, "invalid_field"},
		{"unknown member", `{"lon":120.285,"lat":31.905,"category":"a","source":"110","urgent":true}`, http.StatusBadRequest, "unknown_field"},
		{"not json", `{`, http.StatusBadRequest, "bad_body"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, _, b := env.call(t, "reporter", "POST", "/api/v1/incidents", tc.body)
			if status != tc.status || codeOf(b) != tc.code {
				t.Errorf("%d %s, want %d %s", status, b, tc.status, tc.code)
			}
		})
	}
	if status, _, b := env.call(t, "reporter", "POST", "/api/v1/incidents", goodReport, "Idempotency-Key: bad key"); status != http.StatusBadRequest {
		t.Errorf("Idempotency-Key with a space: %d %s", status, b)
	}
}

// TestIncidentRoles: which role may call which incident route (route ×
// role → status).
func TestIncidentRoles(t *testing.T) {
	env := newIncidentEnv(t)
	roles := []string{"", "reader", "importer", "reporter", "dispatcher", "supervisor", "worker", "admin"}
	roster := "grid,id,name,role,phone\n" + env.chain[0] + ",S1,王网格,专职网格员,13800001111\n"
	for _, r := range []struct {
		method, path, body, ctype string
		want                      []int // by roles' order
	}{
		{"POST", "/api/v1/incidents", goodReport, "", []int{401, 403, 403, 201, 201, 201, 201, 201}},
		{"GET", "/api/v1/incidents", "", "", []int{200, 200, 200, 200, 200, 200, 200, 200}},
		{"POST", "/api/v1/incidents/relocate", `{}`, "", []int{401, 403, 403, 403, 200, 403, 403, 200}},
		{"POST", "/api/v1/incidents/1/actions", `{"action":"escalate"}`, "", []int{401, 403, 403, 403, 409, 409, 409, 409}}, // the flow: status first
		{"POST", "/api/v1/staff", roster, "text/csv", []int{401, 403, 201, 403, 403, 403, 403, 201}},
		{"GET", "/api/v1/staff?grid=" + env.chain[0], "", "", []int{200, 200, 200, 200, 200, 200, 200, 200}},
		{"GET", "/api/v1/stats?layer=grids", "", "", []int{200, 200, 200, 200, 200, 200, 200, 200}},
		{"GET", "/api/v1/me/incidents", "", "", []int{401, 403, 403, 403, 403, 403, 200, 403}},
	} {
		for i, who := range roles {
			var hdr []string
			if r.ctype != "" {
				hdr = []string{"Content-Type: " + r.ctype}
			}
			status, _, b := env.call(t, who, r.method, r.path, r.body, hdr...)
			if status != r.want[i] {
				t.Errorf("%s %s as %q: %d, want %d: %.200s", r.method, r.path, who, status, r.want[i], b)
			}
		}
	}
}

// TestIncidentPages: a listing of 25 incidents in pages of 10 gives each
// once, newest first; filters narrow it; bad filters are 400s naming the
// parameter.
func TestIncidentPages(t *testing.T) {
	env := newIncidentEnv(t)
	for i := range 25 {
		env.report(t, "reporter", fmt.Sprintf(`{"lon":120.285,"lat":31.905,"category":"公共设施","source":"sensor","external_ref":"s-%d"}`, i), http.StatusCreated)
	}
	env.report(t, "reporter", `{"lon":120.285,"lat":31.905,"category":"治安","source":"110"}`, http.StatusCreated)
	seen := map[incident.ID]bool{}
	path := "/api/v1/incidents?source=sensor&limit=10&grid=" + env.chain[1]
	pages := 0
	for path != "" {
		var p incidentPage
		env.getJSON(t, "reader", path, &p)
		pages++
		for _, inc := range p.Incidents {
			if seen[inc.ID] || inc.Source != "sensor" {
				t.Fatalf("page %d: incident %d (%s) again or of another source", pages, inc.ID, inc.Source)
			}
			seen[inc.ID] = true
		}
		path = ""
		if p.Next != "" {
			path = "/api/v1/incidents?source=sensor&limit=10&grid=" + env.chain[1] + "&cursor=" + p.Next
		}
	}
	if len(seen) != 25 || pages != 3 {
		t.Errorf("%d incidents in %d pages, want 25 in 3", len(seen), pages)
	}
	var none incidentPage
	env.getJSON(t, "", "/api/v1/incidents?grid=nosuchgrid", &none)
	if len(none.Incidents) != 0 {
		t.Errorf("grid=nosuchgrid: %d incidents", len(none.Incidents))
	}
	for _, q := range []struct{ query, param string }{
		{"status=open", "status"}, {"limit=0", "limit"}, {"bbox=1,2,3", "bbox"}, {"from=yesterday", "from"},
		{"overdue=maybe", "overdue"}, {"from=2025-02-01&to=2025-01-01", "to"}, {"sort=id", "sort"},
	} {
		status, _, b := env.call(t, "", "GET", "/api/v1/incidents?"+q.query, "")
		if status != http.StatusBadRequest || !strings.Contains(string(b), `"param":"`+q.param+`"`) {
			t.Errorf("?%s: %d %s, want 400 naming %s", q.query, status, b, q.param)
		}
	}
}

// TestStatsAnswer: the figures of a layer and of a grid agree with a
// brute-force count of the incidents listed.
func TestStatsAnswer(t *testing.T) {
	env := newIncidentEnv(t)
	for i := range 7 {
		cat := []string{"治安", "市容环境"}[i%2]
		env.report(t, "reporter", fmt.Sprintf(`{"lon":120.285,"lat":31.905,"category":"%s","source":"12345"}`, cat), http.StatusCreated)
	}
	inc := env.report(t, "reporter", `{"lon":120.285,"lat":31.905,"category":"治安","source":"110"}`, http.StatusCreated)
	if status, b := env.act(t, "dispatcher", inc.ID, `{"action":"reject"}`); status != http.StatusOK {
		t.Fatalf("reject: %d %s", status, b)
	}
	var all incidentPage
	env.getJSON(t, "admin", "/api/v1/incidents?limit=1000", &all)
	byCat := map[string]int{}
	for _, i := range all.Incidents {
		byCat[i.Category]++
	}
	var res stats.Result
	env.getJSON(t, "", "/api/v1/stats?grid="+env.chain[1], &res)
	if res.Grid == nil || res.Grid.Total != len(all.Incidents) || res.Grid.ByCategory["治安"] != byCat["治安"] ||
		res.Grid.ByStatus[incident.Rejected] != 1 || res.Grid.Open != len(all.Incidents)-1 {
		t.Errorf("stats of grid %s: %+v, want %d incidents %v, 1 rejected", env.chain[1], res.Grid, len(all.Incidents), byCat)
	}
	env.getJSON(t, "", "/api/v1/stats?layer=towns&category=治安&series=day", &res)
	if res.Total.Total != byCat["治安"] || len(res.Series) == 0 {
		t.Errorf("stats of towns, 治安: total %d, %d series points; want %d", res.Total.Total, len(res.Series), byCat["治安"])
	}
	for _, q := range []string{"", "layer=towns&grid=x", "layer=towns&series=month", "layer=towns&from=x"} {
		if status, _, b := env.call(t, "", "GET", "/api/v1/stats?"+q, ""); status != http.StatusBadRequest {
			t.Errorf("?%s: %d %s, want 400", q, status, b)
		}
	}
}

// TestStaffRoutes: a roster's people by grid, masked for anonymous
// callers and whole for a grid worker; a bad row refused naming its line;
// the versions listed; lookups with=staff carry the people of each grid.
func TestStaffRoutes(t *testing.T) {
	env := newIncidentEnv(t)
	var a struct {
		People []struct{ ID, Name, Phone string }
	}
	env.getJSON(t, "", "/api/v1/staff?grid="+env.chain[0], &a)
	if len(a.People) != 1 || a.People[0].ID != "S1" || a.People[0].Phone != "138****1111" || a.People[0].Name != "王**" {
		t.Errorf("anonymous staff: %+v, want S1 masked", a.People)
	}
	env.getJSON(t, "worker2", "/api/v1/staff?grid="+env.chain[0], &a)
	if len(a.People) != 1 || a.People[0].Phone != "13800001111" {
		t.Errorf("grid worker's staff: %+v, want S1 whole", a.People)
	}
	bad := "grid,id,name,role,phone\n" + env.chain[0] + ",S9,赵,网格员,1380000\n" + env.chain[0] + ",S8,钱,国王,13800000000\n"
	status, _, b := env.call(t, "admin", "POST", "/api/v1/staff", bad, "Content-Type: text/csv")
	if status != http.StatusBadRequest || codeOf(b) != "invalid_field" || !strings.Contains(string(b), `"line":2`) {
		t.Errorf("bad roster: %d %s, want 400 invalid_field naming line 2", status, b)
	}
	if strings.Contains(string(b), "1380000") {
		t.Errorf("the refusal shows a phone number: %s", b)
	}
	status, _, b = env.call(t, "admin", "POST", "/api/v1/staff", "x", "Content-Type: application/pdf")
	if status != http.StatusUnsupportedMediaType {
		t.Errorf("roster as pdf: %d %s", status, b)
	}
	var vs struct{ Versions []struct{ ID string } }
	env.getJSON(t, "", "/api/v1/staff/versions", &vs)
	if len(vs.Versions) != 1 {
		t.Errorf("%d roster versions, want 1", len(vs.Versions))
	}

	var withStaff struct {
		Chain []struct {
			Code  string `json:"code"`
			Staff []struct{ ID, Phone string }
		} `json:"chain"`
	}
	env.getJSON(t, "", "/api/v1/lookup?lon=120.285&lat=31.905&with=staff", &withStaff)
	if len(withStaff.Chain) != len(env.chain) || len(withStaff.Chain[0].Staff) != 1 || withStaff.Chain[0].Staff[0].Phone != "138****1111" ||
		len(withStaff.Chain[1].Staff) != 1 || withStaff.Chain[1].Staff[0].ID != "S2" {
		t.Errorf("lookup with=staff: %+v", withStaff.Chain)
	}
	env.getJSON(t, "dispatcher", "/api/v1/lookup?lon=120.285&lat=31.905&with=staff", &withStaff)
	if withStaff.Chain[0].Staff[0].Phone != "13800001111" {
		t.Errorf("a dispatcher's lookup with=staff: %+v", withStaff.Chain[0].Staff)
	}
	if status, _, b := env.call(t, "", "GET", "/api/v1/lookup?lon=120.285&lat=31.905&with=people", ""); status != http.StatusBadRequest {
		t.Errorf("with=people: %d %s", status, b)
	}
}

// TestMyIncidents: a grid worker's phone lists the incidents assigned to
// it, and sees their reporters whole; the key's identity is in /me.
func TestMyIncidents(t *testing.T) {
	env := newIncidentEnv(t)
	inc := env.report(t, "reporter", goodReport, http.StatusCreated)
	other := env.report(t, "reporter", `{"lon":120.285,"lat":31.905,"category":"治安","source":"110","reporter":{"phone":"13700000000"}}`, http.StatusCreated)
	for _, s := range []string{`{"action":"assess"}`, `{"action":"dispatch"}`} {
		if status, b := env.act(t, "dispatcher", inc.ID, s); status != http.StatusOK {
			t.Fatalf("%s: %d %s", s, status, b)
		}
	}
	if status, b := env.act(t, "dispatcher", other.ID, `{"action":"assess"}`); status != http.StatusOK {
		t.Fatalf("assess: %d %s", status, b)
	}
	if status, b := env.act(t, "dispatcher", other.ID, `{"action":"dispatch","assignee":"S2"}`); status != http.StatusOK {
		t.Fatalf("dispatch to S2: %d %s", status, b)
	}
	var mine incidentPage
	env.getJSON(t, "worker", "/api/v1/me/incidents", &mine)
	if len(mine.Incidents) != 1 || mine.Incidents[0].ID != inc.ID || mine.Incidents[0].Reporter.Phone != "13912345678" {
		t.Errorf("S1's incidents: %+v, want %d with its reporter whole", mine.Incidents, inc.ID)
	}
	var list incidentPage
	env.getJSON(t, "worker", "/api/v1/incidents?assignee=S2", &list)
	if len(list.Incidents) != 1 || list.Incidents[0].Reporter.Phone != "137****0000" {
		t.Errorf("S1 reading S2's incident: %+v, want its reporter masked", list.Incidents)
	}
	var me struct {
		Role, Name, Staff string
		Personal          bool
	}
	env.getJSON(t, "worker", "/api/v1/me", &me)
	if me.Role != "grid_worker" || me.Staff != "S1" || me.Personal {
		t.Errorf("me = %+v", me)
	}
	env.getJSON(t, "", "/api/v1/me", &me)
	if me.Role != "anonymous" {
		t.Errorf("anonymous me = %+v", me)
	}
	if status, _, b := env.call(t, "nostaff", "GET", "/api/v1/me/incidents", ""); status != http.StatusForbidden || codeOf(b) != "no_staff" {
		t.Errorf("a key without staff: %d %s", status, b)
	}
}

// TestPersonalDataNotLogged: a reporter's and a roster's names and phone
// numbers reach no line of the server's log (request log, service log).
func TestPersonalDataNotLogged(t *testing.T) {
	env := newIncidentEnv(t)
	inc := env.report(t, "reporter", goodReport, http.StatusCreated)
	env.report(t, "reporter", `{"lon":100,"lat":30,"category":"治安","source":"110","reporter":{"name":"欧阳锋","phone":"13566667777"}}`, http.StatusUnprocessableEntity)
	env.act(t, "dispatcher", inc.ID, `{"action":"assess"}`)
	env.act(t, "dispatcher", inc.ID, `{"action":"dispatch"}`)
	env.call(t, "dispatcher", "GET", "/api/v1/incidents/"+itoa(int64(inc.ID)), "")
	log := env.log.String()
	if !strings.Contains(log, "/api/v1/incidents") {
		t.Fatalf("the request log is not captured: %q", log)
	}
	for _, secret := range []string{"13912345678", "张三丰", "13566667777", "欧阳锋", "13800001111", "王网格", "13900002222"} {
		if strings.Contains(log, secret) {
			t.Errorf("the log holds %q", secret)
		}
	}
}

// TestIncidentStreamLive: an incident reported over HTTP reaches a live
// stream as an incident event and its counts; a client resuming after the
// incident event gets the counts and what followed, exactly.
func TestIncidentStreamLive(t *testing.T) {
	env := newIncidentEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := openStream(t, ctx, env.base+"/api/v1/stream")
	for env.hub.Subscribers() < 1 {
	}
	inc := env.report(t, "reporter", goodReport, http.StatusCreated)
	e := s.next()
	var ev incident.Event
	if err := json.Unmarshal([]byte(e.data), &ev); err != nil {
		t.Fatal(err)
	}
	if e.name != "incident" || ev.Incident == nil || ev.Incident.ID != inc.ID || strings.Contains(e.data, "13912345678") {
		t.Fatalf("first event %s %s", e.name, e.data)
	}
	c := s.next()
	if c.name != "counts" || c.id != e.id+"c" {
		t.Errorf("then %s %s, want the counts of %s", c.name, c.id, e.id)
	}
	env.act(t, "dispatcher", inc.ID, `{"action":"assess"}`)
	tr := s.next()
	if tr.name != "transition" {
		t.Errorf("after assess: %s", tr.name)
	}
	re := openStream(t, ctx, env.base+"/api/v1/stream", "Last-Event-ID: "+e.id)
	for _, want := range []string{c.id, tr.id} {
		if got := re.next(); got.id != want {
			t.Errorf("resumed after %s: %s, want %s", e.id, got.id, want)
		}
	}
}
