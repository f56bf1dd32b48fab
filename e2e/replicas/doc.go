// Package replicas tests several `gridmap serve` processes sharing one
// PostgreSQL store, as the replicas of a deployment behind a load balancer
// are: the real gridmap binary, built once, three processes on loopback
// ports, each with its own data directory (its local copies of published
// files), and a private PostgreSQL 15 + PostGIS cluster of the test's own
// (internal/pgtest), which the test stops and restarts.
//
// TestReplicas runs one deployment through three phases while a load of
// lookups goes to every replica serving, recording every failed lookup and
// the first answer of each version on each replica:
//
//   - an import on one replica (over HTTP, with progress) is answered by all
//     three: each switches from the old version to the new one once, never
//     back, with no failed lookup; the delay from the commit (the test's own
//     LISTEN) to each replica's first answer of it is logged;
//   - a replica killed (SIGKILL) in the middle of an import, at its reading
//     and at moments of its publish: the store holds only whole versions
//     and its active version is the one before, or the new one when the
//     kill came after the commit; the other replicas keep answering; the
//     killed one, started again, serves the active version;
//   - the database restarted, then stopped for a few seconds, under the
//     load: no lookup fails; while it is down every /readyz stays 200 and
//     says store unreachable and writes false, gridmap_store_up is 0, and
//     imports, activations, incident reports and steps answer 503
//     store_unavailable with Retry-After (the version list too); once it is
//     back, an import on another replica reaches all three (the replicas'
//     LISTEN reconnected).
//
// Without PostgreSQL the test skips, except under CI (CI=true), where it
// fails (pgtest). The replicas' logs are printed when it fails.
package replicas
