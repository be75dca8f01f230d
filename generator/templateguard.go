package generator

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
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
// Both are enforced by hidden functions the loader writes into every parsed template, before
// html/template escapes it: each {{range}} iteration first calls tickFunc, which fails once the
// render's context is done, and each {{template}} call is bracketed by enterFunc and leaveFunc,
// which count the nesting. A failing function aborts the execution. The hidden functions are
// not defined while layouts are parsed, so a theme cannot call them itself.
//
// The functions need to know which render they serve, and html/template gives one function
// map to every goroutine executing a set. So each render borrows a runner: a copy of the
// theme's templates whose hidden functions (and partialCached) are bound to that runner. Idle
// runners are kept, so there are only as many copies as renders that ran at once, each cloned
// and escaped once.
const (
	tickFunc  = "_rahnumaTick"
	enterFunc = "_rahnumaEnter"
	leaveFunc = "_rahnumaLeave"

	// maxCallDepth bounds the nesting of {{template}} and partialCached calls in a render.
	maxCallDepth = 64
	// DefaultRenderTimeout is the time limit of one page's render, unless site.toml's
	// renderTimeout or Options.RenderTimeout says otherwise. No real page comes near it.
	DefaultRenderTimeout = 10 * time.Second
)

// guardTree writes the hidden calls into a parsed template.
func guardTree(t *parse.Tree) {
	if t != nil && t.Root != nil {
		guardList(t, t.Root)
	}
}

func guardList(t *parse.Tree, l *parse.ListNode) {
	if l == nil {
		return
	}
	out := make([]parse.Node, 0, len(l.Nodes))
	for _, n := range l.Nodes {
		switch n := n.(type) {
		case *parse.IfNode:
			guardList(t, n.List)
			guardList(t, n.ElseList)
		case *parse.WithNode:
			guardList(t, n.List)
			guardList(t, n.ElseList)
		case *parse.RangeNode:
			guardList(t, n.List)
			guardList(t, n.ElseList)
			if n.List != nil {
				n.List.Nodes = append([]parse.Node{hiddenCall(t, tickFunc, n.Pos)}, n.List.Nodes...)
			}
		case *parse.TemplateNode:
			out = append(out, hiddenCall(t, enterFunc, n.Pos), n, hiddenCall(t, leaveFunc, n.Pos))
			continue
		}
		out = append(out, n)
	}
	l.Nodes = out
}

// hiddenCall is {{if name}}{{end}}: it calls the function for its error and prints nothing, so
// the escaper leaves it alone and the page's bytes do not change. Errors point at pos, the
// range or template action it guards.
func hiddenCall(t *parse.Tree, name string, pos parse.Pos) parse.Node {
	id := parse.NewIdentifier(name).SetTree(t).SetPos(pos)
	cmd := &parse.CommandNode{NodeType: parse.NodeCommand, Pos: pos, Args: []parse.Node{id}}
	pipe := &parse.PipeNode{NodeType: parse.NodePipe, Pos: pos, Cmds: []*parse.CommandNode{cmd}}
	return &parse.IfNode{BranchNode: parse.BranchNode{NodeType: parse.NodeIf, Pos: pos, Pipe: pipe,
		List: &parse.ListNode{NodeType: parse.NodeList, Pos: pos}}}
}

// guardSet writes the hidden calls into every template of a set.
func guardSet(set *template.Template) {
	done := map[*parse.Tree]bool{}
	for _, t := range set.Templates() {
		if !done[t.Tree] {
			done[t.Tree] = true
			guardTree(t.Tree)
		}
	}
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

	ctx   context.Context // the render in progress
	depth int
}

// errTooDeep is what a call nested deeper than maxCallDepth fails with.
var errTooDeep = errors.New("too deep")

// renderStopped is what the hidden functions fail with when the render's context is done.
type renderStopped struct{ cause error }

func (e *renderStopped) Error() string { return "render stopped: " + e.cause.Error() }
func (e *renderStopped) Unwrap() error { return e.cause }

// errRenderTimeout is the cause of a render's context that ran past the time limit.
var errRenderTimeout = errors.New("render time limit reached")

func (r *runner) funcs() template.FuncMap {
	return template.FuncMap{
		tickFunc:        r.tick,
		enterFunc:       r.enter,
		leaveFunc:       r.leave,
		"partialCached": r.partialCached,
	}
}

func (r *runner) tick() (bool, error) {
	if r.ctx.Err() != nil {
		return false, &renderStopped{context.Cause(r.ctx)}
	}
	return false, nil
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
	if err := r.partials.ExecuteTemplate(&buf, name, p); err != nil {
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

// execute runs the template entry of a layout for p until ctx is done.
func (r *runner) execute(ctx context.Context, buf *bytes.Buffer, layout, entry string, p *Page) error {
	t := r.layouts[layout]
	if t == nil {
		c, err := r.th.layouts[layout].Clone()
		if err != nil {
			return err
		}
		t = c.Funcs(r.funcs())
		r.layouts[layout] = t
	}
	r.ctx, r.depth = ctx, 0
	return t.ExecuteTemplate(buf, entry, p)
}

// execFailure turns an error of a layout's execution into a problem at the innermost template
// location it names. A cancelled render is returned as its cause (not a problem of the site).
func (s *Site) execFailure(err error, p *Page, limit time.Duration) error {
	var stopped *renderStopped
	if errors.As(err, &stopped) && !errors.Is(stopped.cause, errRenderTimeout) {
		return stopped.cause
	}
	e := templateError(innermostExecError(err))
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
