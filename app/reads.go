package main

import (
	"errors"
	"time"

	"doorstep/app/remote"
	"doorstep/app/replica"
	"doorstep/app/ui"
	"doorstep/shared/housing"
)

// What the supervisor's and the admin's handlers share: both read from the
// server, with the session of whoever is signed in on the phone, and show
// what they read with how fresh it is.

// signedInClient returns server's client with the signed-in device's
// token, and its officer; ok is false while nobody is signed in or the
// server has ended the session.
func signedInClient(server remote.Client, account func() (replica.Account, bool)) (c remote.Client, officer string, ok bool) {
	a, ok := account()
	if !ok || a.Token == "" || a.NeedsSignIn {
		return c, "", false
	}
	c = server
	c.Token = a.Token
	return c, a.Officer.ID, true
}

// loadedAfter returns how fresh a view is after a load, at now, that ended
// with err: a failure to reach the server leaves the kept view showing,
// marked offline; a refusal says why.
func loadedAfter(now time.Time, before ui.Loaded, err error) ui.Loaded {
	l := ui.Loaded{LoadedAt: before.LoadedAt}
	var refused *housing.Error
	switch {
	case err == nil:
		l.LoadedAt = now
	case !errors.As(err, &refused):
		l.Offline = true
	default:
		l.Problem = refused.Message
	}
	return l
}
