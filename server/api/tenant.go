package api

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"doorstep/shared/housing"
)

// The tenant pages: GET /t/{token} shows one promise in plain words and
// POST /t/{token} takes the tenant's answer. They are small server-rendered
// HTML that needs no script, downloads no app and makes no third-party
// request, so they work on any phone on a weak signal.

//go:embed tenantpage/page.html tenantpage/page.css
var tenantFS embed.FS

var (
	tenantTemplate = template.Must(template.ParseFS(tenantFS, "tenantpage/page.html"))
	tenantCSS      = mustRead(tenantFS, "tenantpage/page.css")
	// The page's only style is inline; the policy allows exactly that text.
	tenantCSP = "default-src 'none'; style-src 'sha256-" + sha256Base64(tenantCSS) + "'; " +
		"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)

// A tenant's address may open or answer 30 pages at once and one more every
// 2 seconds: plenty for a household on one connection, too slow to guess
// tokens (which carry 128 random bits anyway).
const (
	tenantBurst = 30
	tenantEvery = 2 * time.Second
)

// csrfCookie carries a random value that the form must echo as an HMAC, so a
// post from another site (which cannot read the cookie or the page) fails.
const csrfCookie = "doorstep_csrf"

// TenantPages serves /t/. Service finds and updates commitments by token;
// Key signs the forms; Allow rate-limits per address (nil allows all).
type TenantPages struct {
	Service housing.TenantService
	Key     []byte
	Allow   func(addr string) bool
	Log     *slog.Logger
}

// Register adds the tenant routes to e. Every answer they give is a page
// with the tenant pages' headers, a refusal too: the server's one error
// handler writes a refusal as a page (asPage), under the headers that
// p.headers set before the route ran.
func (p *TenantPages) Register(e *echo.Echo) {
	e.GET("/t/:token", p.show, p.headers, asPage)
	// HEAD too, or a link checker's HEAD would get the app's shell.
	e.HEAD("/t/:token", p.show, p.headers, asPage)
	e.POST("/t/:token", p.answer, p.headers, asPage)
}

func (p *TenantPages) show(c echo.Context) error {
	if !p.allowed(c) {
		return errTooMany
	}
	token := c.Param("token")
	v, err := p.Service.TenantCommitment(c.Request().Context(), token)
	if housing.ErrorCode(err) == housing.CodeNotFound {
		return p.render(c, http.StatusOK, tenantPage{Title: "Your promise is on its way"})
	} else if err != nil {
		return err
	}
	return p.render(c, http.StatusOK, p.page(c, token, v, noticeFor(c.QueryParam("ok")), ""))
}

func (p *TenantPages) answer(c echo.Context) error {
	if !p.allowed(c) {
		return errTooMany
	}
	ctx, token := c.Request().Context(), c.Param("token")
	// Read the form here, not through FormValue, which drops a read error:
	// a body cut off by its deadline must answer 408, not "expired form".
	if err := c.Request().ParseForm(); errors.Is(err, os.ErrDeadlineExceeded) {
		return fmt.Errorf("read tenant form: %w", err)
	}
	if !p.validCSRF(c, token) {
		return housing.Errorf(housing.CodeForbidden, "This form has expired or did not come from this page. Open the page again and send it from there.")
	}
	answer, comment := c.FormValue("answer"), strings.TrimSpace(c.FormValue("comment"))
	var err error
	switch answer {
	case housing.TenantAgreed, housing.TenantNotAgreed, housing.TenantDone, housing.TenantNotDone:
		_, err = p.Service.TenantRespond(ctx, token, housing.CommitmentAction{Answer: answer, Reason: comment})
	case "feedback":
		err = p.Service.TenantFeedback(ctx, token, tenantFeedback(c, comment))
	default:
		err = housing.Errorf(housing.CodeInvalid, "Choose one of the buttons.")
	}
	switch housing.ErrorCode(err) {
	case "":
		p.logf(c, "tenant answer", "answer", answer)
		return c.Redirect(http.StatusSeeOther, housing.TenantPath(token)+"?ok="+answer)
	case housing.CodeNotFound:
		return p.render(c, http.StatusOK, tenantPage{Title: "Your promise is on its way"})
	case housing.CodeInvalid, housing.CodeIllegal, housing.CodeConflict:
		v, verr := p.Service.TenantCommitment(ctx, token)
		if verr != nil {
			return verr
		}
		return p.render(c, http.StatusUnprocessableEntity, p.page(c, token, v, "", housing.ErrorMessage(err)))
	default:
		return err
	}
}

// tenantFeedback reads the optional satisfaction questions from the form.
func tenantFeedback(c echo.Context, comment string) housing.Feedback {
	// The form carries its own feedback ID, so a re-posted form is a repeat,
	// not a second answer.
	id := c.FormValue("fid")
	if !housing.ValidID(id) {
		id = uuid.Must(uuid.NewV7()).String()
	}
	f := housing.Feedback{ID: id, Source: housing.SourceTenant, Comment: comment}
	for _, q := range housing.Questions {
		if r := housing.Rating(c.FormValue(string(q))); r != "" {
			if f.Answers == nil {
				f.Answers = map[housing.Question]housing.Rating{}
			}
			f.Answers[q] = r
		}
	}
	return f
}

type tenantPage struct {
	Title                            string
	CSS                              template.CSS
	Found                            bool
	Notice, Problem                  string
	What, Team, Due, MadeBy, Address string
	// DueReason is why the date last changed, told once, whole up to
	// maxLongText bytes.
	DueReason string
	// StatusNote follows the status: the apology when the promise is
	// broken, the reason when it is cancelled.
	Status, StatusNote string
	// History is the latest historyShown lines; Earlier says how many came
	// before them and HistoryStart numbers the first one shown.
	History                  []historyItem
	Earlier                  string
	HistoryStart             int
	AskAgreement, AskOutcome bool
	// Answer is the tenant's own answer, once they have given one: the page
	// then shows it instead of asking again.
	Answer                   *tenantAnswer
	Action, CSRF, FeedbackID string
	Questions                []question
}

// tenantAnswer is what the tenant told us, when, what happens next, and the
// one button that changes it to the other answer.
type tenantAnswer struct {
	Said, Comment, Next          string
	ChangeTo, ChangeLabel, Class string
	CommentLabel                 string // "" when the new answer takes no comment
}

type historyItem struct{ When, What string }

type question struct {
	Code, Text string
	Options    []option
}

type option struct{ Value, Label string }

func (p *TenantPages) page(c echo.Context, token string, v housing.TenantView, notice, problem string) tenantPage {
	// Reference data has no length limit and a stored promise may predate
	// a validation rule: every text is bounded here, where the page is
	// built, so the page keeps to its budget whatever the store holds.
	v.FunctionName = shorten(v.FunctionName, maxName)
	v.MadeByFirst = shorten(v.MadeByFirst, maxName)
	v.AddressLine = shorten(v.AddressLine, maxAddress)
	v.Commitment.What = shorten(v.Commitment.What, maxWhat)
	cm := v.Commitment
	due := cm.DueDate.Human()
	if cm.DueTime != "" {
		due += ", by " + cm.DueTime
	}
	pg := tenantPage{
		Title: "What we promised you", Found: true, Notice: notice, Problem: problem,
		What: cm.What, Team: capital(teamName(v.FunctionName)), Due: due,
		MadeBy: v.MadeByFirst + ", on " + housing.DateOf(cm.HappenedAt).Human(), Address: v.AddressLine,
		Status:       statusSentence(v),
		AskAgreement: (cm.Status == housing.StatusOpen || cm.Status == housing.StatusAcknowledged) && cm.TenantAgreement == "",
		AskOutcome:   cm.Status == housing.StatusDone || ((cm.Status == housing.StatusKept || cm.Status == housing.StatusDisputed) && cm.TenantOutcome == ""),
		Answer:       answerOf(v, due),
		Action:       housing.TenantPath(token),
		CSRF:         p.csrfToken(c, token),
		FeedbackID:   uuid.Must(uuid.NewV7()).String(),
	}
	for _, e := range cm.History {
		if line := historyLine(e, v); line != "" {
			pg.History = append(pg.History, historyItem{When: e.At.Format("2 Jan"), What: line})
		}
		switch {
		case e.Kind == housing.KindCommitmentExtend:
			pg.DueReason = shorten(e.Note, maxLongText)
		case e.Kind == housing.KindCommitmentBreak && cm.Status == housing.StatusBroken,
			e.Kind == housing.KindCommitmentCancel && cm.Status == housing.StatusCancelled:
			pg.StatusNote = shorten(e.Note, maxLongText)
		}
	}
	pg.History, pg.Earlier, pg.HistoryStart = latestHistory(pg.History)
	for _, q := range housing.Questions {
		qq := question{Code: string(q), Text: q.Text()}
		for _, r := range housing.Ratings {
			qq.Options = append(qq.Options, option{Value: string(r), Label: r.LabelFor(q)})
		}
		pg.Questions = append(pg.Questions, qq)
	}
	return pg
}

func noticeFor(ok string) string {
	switch ok {
	case housing.TenantAgreed:
		return "Thank you. We have recorded that this is what you agreed."
	case housing.TenantNotAgreed:
		return "Thank you for telling us. A manager will look at this promise and contact you."
	case housing.TenantDone:
		return "Thank you for confirming it was done."
	case housing.TenantNotDone:
		return "Sorry it wasn't done. A manager will look into it and contact you."
	case "feedback":
		return "Thank you for your feedback."
	}
	return ""
}

func (p *TenantPages) render(c echo.Context, status int, pg tenantPage) error {
	pg.CSS = template.CSS(tenantCSS)
	var buf bytes.Buffer
	if err := tenantTemplate.ExecuteTemplate(&buf, "page", pg); err != nil {
		return err
	}
	return c.HTMLBlob(status, buf.Bytes())
}

// headers keeps every answer of the tenant routes private, a refusal too:
// no referrer leaks the token, no search engine indexes it, no shared cache
// keeps it, nothing but the page's own style runs. They are set before the
// route runs, so they are on whatever it answers.
func (p *TenantPages) headers(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", tenantCSP)
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Robots-Tag", "noindex, nofollow")
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		return next(c)
	}
}

func (p *TenantPages) allowed(c echo.Context) bool {
	return p.Allow == nil || p.Allow(remoteAddr(c))
}

// errTooMany refuses an address over its limit; the error handler tells it
// to wait DefaultRetryAfter, as the message does.
var errTooMany = housing.Errorf(housing.CodeRateLimited, "Too many requests from this connection. Please wait a minute and try again.")

// csrfToken returns the form token for this browser and link, setting the
// browser's random cookie first if it has none.
func (p *TenantPages) csrfToken(c echo.Context, token string) string {
	seed := ""
	if ck, err := c.Cookie(csrfCookie); err == nil && len(ck.Value) >= 16 {
		seed = ck.Value
	} else {
		b := make([]byte, 16)
		rand.Read(b)
		seed = base64.RawURLEncoding.EncodeToString(b)
		c.SetCookie(&http.Cookie{
			Name: csrfCookie, Value: seed, Path: "/t/", HttpOnly: true,
			Secure: arrivedOverHTTPS(c), SameSite: http.SameSiteLaxMode, MaxAge: int((30 * 24 * time.Hour).Seconds()),
		})
		c.Request().AddCookie(&http.Cookie{Name: csrfCookie, Value: seed})
	}
	return p.sign(seed, token)
}

func (p *TenantPages) validCSRF(c echo.Context, token string) bool {
	ck, err := c.Cookie(csrfCookie)
	if err != nil || ck.Value == "" {
		return false
	}
	want := p.sign(ck.Value, token)
	return hmac.Equal([]byte(want), []byte(c.FormValue("csrf")))
}

func (p *TenantPages) sign(seed, token string) string {
	m := hmac.New(sha256.New, p.Key)
	m.Write([]byte(seed))
	m.Write([]byte{0})
	m.Write([]byte(token))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func (p *TenantPages) logf(c echo.Context, msg string, args ...any) {
	if p.Log != nil {
		p.Log.InfoContext(c.Request().Context(), msg, args...)
	}
}

func mustRead(fsys embed.FS, name string) string {
	b, err := fsys.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func sha256Base64(s string) string {
	sum := sha256.Sum256([]byte(s))
	return base64.StdEncoding.EncodeToString(sum[:])
}
