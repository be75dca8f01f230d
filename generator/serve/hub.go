package serve

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// Event is one message to the open pages.
//
//	hello    sent first on every connection: the current version and errors
//	css      a new version where only stylesheets changed
//	content  a new version where only Markdown changed
//	reload   a new version where layouts, settings or other files changed
//	errors   the errors changed; the version served did not
type Event struct {
	Type    string    `json:"type"`
	Version string    `json:"version"`
	Errors  []Problem `json:"errors"`
}

// hub holds the pages waiting for events. It is a field of its Server: two servers in one
// process (tests) do not share clients.
type hub struct {
	mu      sync.Mutex
	clients map[chan Event]bool
	last    Event // what a new client is told first
	closed  bool
}

func newHub() *hub {
	return &hub{clients: map[chan Event]bool{}, last: Event{Type: "hello", Errors: []Problem{}}}
}

// subscribe registers a client and returns its channel with the current state, atomically, so
// no event falls between the two.
func (h *hub) subscribe() (chan Event, Event, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, Event{}, false
	}
	c := make(chan Event, 16)
	h.clients[c] = true
	hello := h.last
	hello.Type = "hello"
	return c, hello, true
}

func (h *hub) unsubscribe(c chan Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.clients[c] {
		delete(h.clients, c)
		close(c)
	}
}

// broadcast sends ev to every client. A client too slow to keep up is disconnected; its page
// reconnects, and the hello's version tells it to reload.
func (h *hub) broadcast(ev Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.last = ev
	for c := range h.clients {
		select {
		case c <- ev:
		default:
			delete(h.clients, c)
			close(c)
		}
	}
}

// close ends every event stream, so the HTTP server can shut down.
func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for c := range h.clients {
		delete(h.clients, c)
		close(c)
	}
}

// count is the number of connected clients.
func (h *hub) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.clients)
}

// serveEvents is the Server-Sent Events stream the reload client listens to.
func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	c, hello, ok := s.hub.subscribe()
	if !ok {
		http.Error(w, "503 shutting down", http.StatusServiceUnavailable)
		return
	}
	defer s.hub.unsubscribe(c)
	if snap := s.cur.Load(); snap != nil {
		// The version being served, even if its announcement is still on the way.
		hello.Version = snap.version
	}
	_ = rc.SetWriteDeadline(time.Time{})
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	// A reconnect after a restart should come quickly; the default is about three seconds.
	if _, err := fmt.Fprint(w, "retry: 500\n\n"); err != nil {
		return
	}
	if err := sendEvent(w, rc, hello); err != nil {
		return
	}
	ping := time.NewTicker(20 * time.Second)
	defer ping.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case ev, ok := <-c:
			if !ok {
				return
			}
			if err := sendEvent(w, rc, ev); err != nil {
				return
			}
		case <-ping.C:
			// A comment line keeps proxies from timing the stream out and finds dead peers.
			if _, err := fmt.Fprint(w, ": ping\n\n"); err != nil {
				return
			}
			if err := rc.Flush(); err != nil {
				return
			}
		}
	}
}

func sendEvent(w http.ResponseWriter, rc *http.ResponseController, ev Event) error {
	data, err := json.Marshal(ev) // one line: JSON escapes newlines in strings
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintf(w, "data: %s\n\n", data); err != nil {
		return err
	}
	return rc.Flush()
}

// serveErrors is the current error list as JSON, for the overlay and for tools.
func (s *Server) serveErrors(w http.ResponseWriter, r *http.Request) {
	ev := Event{Type: "errors", Errors: s.problems()}
	if snap := s.cur.Load(); snap != nil {
		ev.Version = snap.version
	}
	data, err := json.MarshalIndent(ev, "", "  ")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	s.write(w, http.StatusOK, "errors.json", append(data, '\n'), "")
}
