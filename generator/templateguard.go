package generator

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"iter"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"text/template/parse"
	"time"
)

// A theme's templates run under two limits, so that no layout can hang or crash the process:
// calls of templates and partials nest at most maxCallDepth deep (recursion would otherwise end
// in a fatal stack overflow: text/template's own limit is far deeper than the stack), and a
// page renders within its time limit (a {{range}} over a huge number never calls back into Go,
// and text/template takes no context).
//
// Both are enforced by hidden functions the loader writes into the parsed templates, before
// html/template escapes them; a failing function aborts the execution. Calls cost a reflective
// call each, so they go only where work can pile up without bound:
//
//   - each {{range}} pipeline ends in rangeFunc, which checks the render's context once per
//     range and turns an integer (the one thing a range can count through without data behind
//     it) into an iterator that checks it on every step;
//   - a {{template}} call that can recurse (its callee can call back into its caller) is
//     bracketed by enterFunc and leaveFunc, which count the nesting and check the context;
//   - a {{template}} call whose callee fans out into many other calls (templates that each call
//     the next twice, 40 deep) is preceded by tickFunc, which checks the context;
//   - partialCached counts and checks in Go.
//
// The hidden functions are not defined while layouts are parsed, so a theme cannot call them.
//
// The functions need to know which render they serve, and html/template gives one function
// map to every goroutine executing a set. So each render borrows a runner: a copy of the
// theme's templates whose hidden functions (and partialCached) are bound to that runner. Idle
// runners are kept, so there are only as many copies as renders that ran at once, each cloned
// and escaped once.
const (
	rangeFunc     = "_rahnumaRange"
	rangePairFunc = "_rahnumaRangePair" // a range with two variables: an integer is an error there
	tickFunc      = "_rahnumaTick"
	enterFunc     = "_rahnumaEnter"
	leaveFunc     = "_rahnumaLeave"

	// maxCallDepth bounds the nesting of {{template}} and partialCached calls in a render.
	maxCallDepth = 64
	// maxFanOut is how many template executions a {{template}} call may cause before the
	// context is checked.
	maxFanOut = 64
	// DefaultRenderTimeout is the time limit of one page's render, unless site.toml's
	// renderTimeout or Options.RenderTimeout says otherwise. No real page comes near it.
	DefaultRenderTimeout = 10 * time.Second
)

// guardSet writes the hidden calls into every template of a set.
func guardSet(set *template.Template) {
	g := &guard{trees: map[string]*parse.Tree{}, calls: map[string][]string{}, cost: map[string]int{}}
	for _, t := range set.Templates() {
		if t.Tree != nil && t.Tree.Root != nil {
			g.trees[t.Name()] = t.Tree
		}
	}
	for name, t := range g.trees {
		eachTemplateCall(t.Root, func(n *parse.TemplateNode) { g.calls[name] = append(g.calls[name], n.Name) })
	}
	done := map[*parse.Tree]bool{}
	for _, name := range sortedKeys(g.trees) {
		if t := g.trees[name]; !done[t] {
			done[t] = true
			g.fanOut(name)
		}
	}
}

type guard struct {
	trees map[string]*parse.Tree
	calls map[string][]string // template → templates it calls
	cost  map[string]int      // template → executions it causes between checks; -1 while guarding
}

// recursive reports whether a call from caller to callee can come back to caller.
func (g *guard) recursive(caller, callee string) bool {
	seen := map[string]bool{}
	var reach func(string) bool
	reach = func(from string) bool {
		if from == caller {
			return true
		}
		if seen[from] {
			return false
		}
		seen[from] = true
		for _, c := range g.calls[from] {
			if reach(c) {
				return true
			}
		}
		return false
	}
	return reach(callee)
}

// fanOut guards the template name and returns how many template executions it causes without
// a check. Calls that can recurse are guarded and count for nothing, so this never recurses
// forever.
func (g *guard) fanOut(name string) int {
	if c, ok := g.cost[name]; ok {
		return max(c, 0)
	}
	t := g.trees[name]
	if t == nil {
		return 0
	}
	g.cost[name] = -1
	cost := 1
	guardList(t, t.Root, func(n *parse.TemplateNode) []parse.Node {
		switch {
		case g.recursive(name, n.Name):
			return []parse.Node{hiddenCall(t, enterFunc, n.Pos), n, hiddenCall(t, leaveFunc, n.Pos)}
		case g.fanOut(n.Name) >= maxFanOut:
			return []parse.Node{hiddenCall(t, tickFunc, n.Pos), n}
		}
		cost += g.fanOut(n.Name)
		return nil
	})
	g.cost[name] = cost
	return cost
}

func eachTemplateCall(l *parse.ListNode, f func(*parse.TemplateNode)) {
	if l == nil {
		return
	}
	for _, n := range l.Nodes {
		switch n := n.(type) {
		case *parse.IfNode:
			eachTemplateCall(n.List, f)
			eachTemplateCall(n.ElseList, f)
		case *parse.WithNode:
			eachTemplateCall(n.List, f)
			eachTemplateCall(n.ElseList, f)
		case *parse.RangeNode:
			eachTemplateCall(n.List, f)
			eachTemplateCall(n.ElseList, f)
		case *parse.TemplateNode:
			f(n)
		}
	}
}

// guardList ends each range pipeline in l with rangeFunc, and replaces each {{template}} call
// by what call returns for it (nil: leave it).
func guardList(t *parse.Tree, l *parse.ListNode, call func(*parse.TemplateNode) []parse.Node) {
	if l == nil {
		return
	}
	out := make([]parse.Node, 0, len(l.Nodes))
	for _, n := range l.Nodes {
		switch n := n.(type) {
		case *parse.IfNode:
			guardList(t, n.List, call)
			guardList(t, n.ElseList, call)
		case *parse.WithNode:
			guardList(t, n.List, call)
			guardList(t, n.ElseList, call)
		case *parse.RangeNode:
			guardList(t, n.List, call)
			guardList(t, n.ElseList, call)
			cmd := &parse.CommandNode{NodeType: parse.NodeCommand, Pos: n.Pos}
			if len(n.Pipe.Decl) > 1 {
				cmd.Args = []parse.Node{parse.NewIdentifier(rangePairFunc).SetTree(t).SetPos(n.Pos)}
			} else {
				// The location is for errors raised inside the iterator, where text/template
				// does not add its own.
				loc, _ := t.ErrorContext(n)
				cmd.Args = []parse.Node{parse.NewIdentifier(rangeFunc).SetTree(t).SetPos(n.Pos),
					&parse.StringNode{NodeType: parse.NodeString, Pos: n.Pos, Quoted: strconv.Quote(loc), Text: loc}}
			}
			n.Pipe.Cmds = append(n.Pipe.Cmds, cmd)
		case *parse.TemplateNode:
			if repl := call(n); repl != nil {
				out = append(out, repl...)
				continue
			}
		}
		out = append(out, n)
	}
	l.Nodes = out
}

// hiddenCall is {{if name}}{{end}}: it calls the function for its error and prints nothing, so
// the escaper leaves it alone and the page's bytes do not change. Errors point at pos, the
// action it guards.
func hiddenCall(t *parse.Tree, name string, pos parse.Pos) parse.Node {
	id := parse.NewIdentifier(name).SetTree(t).SetPos(pos)
	cmd := &parse.CommandNode{NodeType: parse.NodeCommand, Pos: pos, Args: []parse.Node{id}}
	pipe := &parse.PipeNode{NodeType: parse.NodePipe, Pos: pos, Cmds: []*parse.CommandNode{cmd}}
	return &parse.IfNode{BranchNode: parse.BranchNode{NodeType: parse.NodeIf, Pos: pos, Pipe: pipe,
		List: &parse.ListNode{NodeType: parse.NodeList, Pos: pos}}}
}

// renderTimeout is the time limit of one page's render.
func (s *Site) renderTimeout() time.Duration {
	if s.opts.RenderTimeout > 0 {
		return s.opts.RenderTimeout
	}
	return s.cfg.renderTimeout
}

// runner executes the theme's templates for one render at a time.
type runner struct {
	th       *theme
	layouts  map[string]*template.Template // layout name → this runner's copy, made on first use
	partials *template.Template            // for partialCached

	ctx      context.Context // the render in progress
	deadline time.Time
	depth    int
	written  int
}

// errTooDeep is what a call nested deeper than maxCallDepth fails with.
var errTooDeep = errors.New("too deep")

// renderStopped is what the hidden functions fail with when the render must stop (its context
// is done or its time is up). loc is where, when text/template does not say it ("x.html:3:2").
type renderStopped struct {
	cause error
	loc   string
}

func (e *renderStopped) Error() string { return "render stopped: " + e.cause.Error() }
func (e *renderStopped) Unwrap() error { return e.cause }

// errRenderTimeout is why a render that ran past its time limit stopped.
var errRenderTimeout = errors.New("render time limit reached")

func (r *runner) funcs() template.FuncMap {
	return template.FuncMap{
		rangeFunc:       r.rangeValue,
		rangePairFunc:   r.rangePair,
		tickFunc:        r.tick,
		enterFunc:       r.enter,
		leaveFunc:       r.leave,
		"partialCached": r.partialCached,
	}
}

func (r *runner) tick() (bool, error) {
	if err := r.stopped(); err != nil {
		return false, &renderStopped{cause: err}
	}
	return false, nil
}

// stopped is why the render must stop, or nil. The time limit is a deadline compared here
// rather than a context with a timer: that costs each render a timer and allocations, for a
// check made a few times per page.
func (r *runner) stopped() error {
	if r.ctx.Err() != nil {
		return context.Cause(r.ctx)
	}
	if time.Now().After(r.deadline) {
		return errRenderTimeout
	}
	return nil
}

// rangePair passes what a range with two variables ranges over, after checking the render may
// go on.
func (r *runner) rangePair(v reflect.Value) (reflect.Value, error) {
	_, err := r.tick()
	return v, err
}

// rangeValue passes what a range ranges over, after checking the render may go on; an integer
// n becomes the steps 0..n-1 (of n's type, as text/template counts them), checked on the way.
// (An integer of a named type passes as it is: no data of a site's model is one.)
func (r *runner) rangeValue(loc string, v reflect.Value) (reflect.Value, error) {
	if _, err := r.tick(); err != nil {
		return v, err
	}
	iv, _ := indirectValue(v)
	if !iv.IsValid() || !iv.CanInterface() || iv.CanInt() && iv.Int() <= 0 || iv.CanUint() && iv.Uint() == 0 {
		return v, nil // no steps: and {{range $i = 0}} leaves $i 0, not an iterator
	}
	switch n := iv.Interface().(type) {
	case int:
		return steps(r, loc, n), nil
	case int8:
		return steps(r, loc, n), nil
	case int16:
		return steps(r, loc, n), nil
	case int32:
		return steps(r, loc, n), nil
	case int64:
		return steps(r, loc, n), nil
	case uint:
		return steps(r, loc, n), nil
	case uint8:
		return steps(r, loc, n), nil
	case uint16:
		return steps(r, loc, n), nil
	case uint32:
		return steps(r, loc, n), nil
	case uint64:
		return steps(r, loc, n), nil
	case uintptr:
		return steps(r, loc, n), nil
	}
	return v, nil
}

// indirectValue is text/template's indirect: what a range ranges over behind pointers and
// interfaces.
func indirectValue(v reflect.Value) (reflect.Value, bool) {
	for ; v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface; v = v.Elem() {
		if v.IsNil() {
			return reflect.Value{}, true
		}
	}
	return v, false
}

// steps is what a range over n ranges over instead: a slice of 0..n-1 when n is small (text/
// template walks a slice much faster than an iterator, and this one is checked once), else
// count.
func steps[N int | int8 | int16 | int32 | int64 | uint | uint8 | uint16 | uint32 | uint64 | uintptr](r *runner, loc string, n N) reflect.Value {
	if uint64(n) > 1024 { // n > 0 here
		return reflect.ValueOf(count(r, loc, n))
	}
	s := make([]N, n)
	for i := range s {
		s[i] = N(i)
	}
	return reflect.ValueOf(s)
}

// count yields 0..n-1 and stops the render when its context is done. An iterator cannot
// return an error, so it panics with one: text/template passes the panic on, and
// runner.execute (or the function call around a partial) turns it back into the error.
func count[N int | int8 | int16 | int32 | int64 | uint | uint8 | uint16 | uint32 | uint64 | uintptr](r *runner, loc string, n N) iter.Seq[N] {
	return func(yield func(N) bool) {
		for i := N(0); i < n; i++ {
			if err := r.stopped(); err != nil {
				panic(&renderStopped{cause: err, loc: loc})
			}
			if !yield(i) {
				return
			}
		}
	}
}

func (r *runner) enter() (bool, error) {
	if r.depth++; r.depth > maxCallDepth {
		return false, errTooDeep
	}
	return r.tick()
}

func (r *runner) leave() (bool, error) {
	r.depth--
	return false, nil
}

// partialCached renders a partial once per key for the whole site, like Hugo's partialCached:
// a section's navigation is the same on each of its pages, so it is rendered once, not per page.
// The cache belongs to the page's Site, so a reloaded site never sees an older site's fragments.
func (r *runner) partialCached(name string, key any, p *Page) (template.HTML, error) {
	s := p.site
	k := partialKey{name, key}
	if h, ok := s.partials.Load(k); ok {
		return h.(template.HTML), nil
	}
	if _, err := r.enter(); err != nil {
		return "", err
	}
	defer r.leave()
	var buf bytes.Buffer
	if err := r.partials.ExecuteTemplate(pageWriter{&buf, r}, name, p); err != nil {
		return "", err
	}
	h := template.HTML(buf.String())
	s.partials.Store(k, h)
	return h, nil
}

// runners is a theme's pool of idle runners.
type runners struct {
	mu   sync.Mutex
	idle []*runner
}

// runner takes an idle runner, or makes one.
func (th *theme) runner() (*runner, error) {
	th.pool.mu.Lock()
	if n := len(th.pool.idle); n > 0 {
		r := th.pool.idle[n-1]
		th.pool.idle = th.pool.idle[:n-1]
		th.pool.mu.Unlock()
		return r, nil
	}
	th.pool.mu.Unlock()
	r := &runner{th: th, layouts: map[string]*template.Template{}}
	partials, err := th.partials.Clone()
	if err != nil {
		return nil, err
	}
	r.partials = partials.Funcs(r.funcs())
	return r, nil
}

func (th *theme) release(r *runner) {
	r.ctx, r.depth = nil, 0
	th.pool.mu.Lock()
	th.pool.idle = append(th.pool.idle, r)
	th.pool.mu.Unlock()
}

// execute runs the template entry of a layout for p until ctx is done or the deadline passes.
func (r *runner) execute(ctx context.Context, deadline time.Time, buf *bytes.Buffer, layout, entry string, p *Page) (err error) {
	t := r.layouts[layout]
	if t == nil {
		c, err := r.th.layouts[layout].Clone()
		if err != nil {
			return err
		}
		t = c.Funcs(r.funcs())
		r.layouts[layout] = t
	}
	r.ctx, r.deadline, r.depth, r.written = ctx, deadline, 0, 0
	defer func() {
		if v := recover(); v != nil {
			stopped, ok := v.(*renderStopped)
			if !ok {
				panic(v)
			}
			err = stopped
		}
	}()
	return t.ExecuteTemplate(pageWriter{buf, r}, entry, p)
}

// maxPageBytes bounds what one render writes, so a loop that prints is stopped long before
// its page takes the memory (4 workers render at once). No real page comes near it.
const maxPageBytes = 64 << 20

var errPageTooBig = fmt.Errorf("the page's output passed %d MB", maxPageBytes>>20)

// pageWriter counts what a render writes, pages and partials together, and fails past
// maxPageBytes: text/template stops at a write error.
type pageWriter struct {
	w io.Writer
	r *runner
}

func (pw pageWriter) Write(b []byte) (int, error) {
	if pw.r.written += len(b); pw.r.written > maxPageBytes {
		return 0, errPageTooBig
	}
	return pw.w.Write(b)
}

// execFailure turns an error of a layout's execution into a problem at the innermost template
// location it names. A cancelled render is returned as its cause (not a problem of the site).
func (s *Site) execFailure(err error, p *Page, layout string, limit time.Duration) error {
	var stopped *renderStopped
	if errors.As(err, &stopped) && !errors.Is(stopped.cause, errRenderTimeout) {
		return stopped.cause
	}
	if errors.Is(err, errPageTooBig) { // a write error: text/template names no line
		return &Error{File: orGenerated(p.File), Msg: fmt.Sprintf("template: %v with layout %s (a loop that does not end?)",
			errPageTooBig, s.theme.origin[layout])}
	}
	var e *Error
	if stopped != nil && stopped.loc != "" {
		e = templateError(errors.New("template: " + stopped.loc + ": " + stopped.Error()))
	} else {
		e = templateError(innermostExecError(err))
	}
	if o, ok := s.theme.origin[e.File]; ok {
		e.File = o
	}
	if e.File == "" {
		e.File = orGenerated(p.File)
	}
	switch {
	case stopped != nil:
		e.Msg = fmt.Sprintf("template: %s did not render within %v (a loop that does not end? renderTimeout in %s sets the limit)",
			orGenerated(p.File), limit, configFile)
		return pageTimeout{e}
	case errors.Is(err, errTooDeep):
		e.Msg = fmt.Sprintf("template: template and partial calls nest deeper than %d (a template that calls itself?)", maxCallDepth)
	}
	return e
}

// pageTimeout is the problem of a page that ran past the time limit; it is errRenderTimeout.
type pageTimeout struct{ err *Error }

func (t pageTimeout) Error() string   { return t.err.Error() }
func (t pageTimeout) Unwrap() []error { return []error{t.err, errRenderTimeout} }

// innermostExecError is the deepest template execution error in err's chain: a partial that
// fails inside partialCached is wrapped once for each template around it.
func innermostExecError(err error) error {
	last := err
	for e := err; e != nil; e = errors.Unwrap(e) {
		if strings.HasPrefix(e.Error(), "template: ") {
			last = e
		}
	}
	return last
}
