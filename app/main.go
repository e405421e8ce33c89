//go:build js && wasm

package main

import (
	"context"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"doorstep/app/idb"
	"doorstep/app/remote"
	"doorstep/app/replica"
	"doorstep/app/ui"
)

func main() {
	ui.Routes()
	b := jsBrowser{}
	server := remote.Client{BaseURL: b.origin(), Do: remote.Fetch}
	officer := newOfficer(b)
	supervisor := newSupervisor(b, server, officer.signedIn)
	admin := newAdmin(b, server, officer.signedIn)

	app.Handle(ui.ActionAttach, officer.handleAttach)
	app.Handle(ui.ActionSignIn, officer.handleSignIn)
	app.Handle(ui.ActionSignOut, officer.handleSignOut)
	app.Handle(ui.ActionSyncNow, officer.handleSyncNow)
	app.Handle(ui.ActionExport, officer.handleExport)
	app.Handle(ui.ActionLoadHome, officer.handleLoadHome)
	app.Handle(ui.ActionHomeMore, officer.handleHomeMore)
	app.Handle(ui.ActionSearch, officer.handleSearch)
	app.Handle(ui.ActionOpenTenancy, officer.handleOpenTenancy)
	app.Handle(ui.ActionOpenVisit, officer.handleOpenVisit)
	app.Handle(ui.ActionOpenPromise, officer.handleOpenPromise)
	app.Handle(ui.ActionSaveVisit, officer.handleSaveVisit)
	app.Handle(ui.ActionAct, officer.handleAct)
	app.Handle(ui.ActionShare, officer.handleShare)
	app.Handle(ui.ActionResend, officer.handleResend)
	app.Handle(ui.ActionCorrect, officer.handleCorrect)
	app.Handle(ui.ActionDismiss, officer.handleDismiss)
	app.Handle(ui.ActionLoadSettings, officer.handleLoadSettings)
	app.Handle(ui.ActionReviewQueues, supervisor.handleQueues)
	app.Handle(ui.ActionReviewMeasures, supervisor.handleMeasures)
	app.Handle(ui.ActionReviewTimeline, supervisor.handleTimeline)
	app.Handle(ui.ActionReviewExport, supervisor.handleExport)
	app.Handle(ui.ActionAdminStaff, admin.handleStaff)
	app.Handle(ui.ActionAdminDevices, admin.handleDevices)
	app.Handle(ui.ActionAdminPlaces, admin.handlePlaces)
	app.Handle(ui.ActionAdminStandards, admin.handleStandards)
	app.Handle(ui.ActionAdminImports, admin.handleImports)
	app.Handle(ui.ActionAdminTokens, admin.handleTokens)
	app.Handle(ui.ActionAdminAddUser, admin.handleAddUser)
	app.Handle(ui.ActionAdminSwitchUser, admin.handleSwitchUser)
	app.Handle(ui.ActionAdminSetPassword, admin.handleSetPassword)
	app.Handle(ui.ActionAdminSignOutDevice, admin.handleSignOutDevice)
	app.Handle(ui.ActionAdminPutSite, admin.handlePutSite)
	app.Handle(ui.ActionAdminPutTeam, admin.handlePutTeam)
	app.Handle(ui.ActionAdminSetStandard, admin.handleSetStandard)
	app.Handle(ui.ActionAdminImport, admin.handleImport)
	app.Handle(ui.ActionAdminMakeToken, admin.handleMakeToken)
	app.Handle(ui.ActionAdminRevokeToken, admin.handleRevokeToken)
	app.Handle(ui.ActionAdminDownload, admin.handleDownload)
	app.Handle(ui.ActionAdminCopy, admin.handleCopy)

	b.markTaps()
	b.onWake(officer.trigger)
	// The records are read from IndexedDB while go-app draws the first page.
	go officer.open(context.Background(), func(ctx context.Context) (*replica.Replica, error) {
		store, err := idb.Open(ctx, "doorstep")
		if err != nil {
			return nil, err
		}
		return replica.New(store, remote.Transport{Client: server}, replica.Options{Lock: b.lock}), nil
	})
	app.RunWhenOnBrowser()
}
