#pragma once
// A Session against the in-process simulated WhatsApp (tests/wasim): helpers to wait for states, pair by
// scanning the emitted QR, and restart with stored credentials.

#include "server/whatsapp/session.h"
#include "tests/wasim/simulator.h"
#include "tests/whatsapp/memory_session_store.h"

#include <QSignalSpy>
#include <QTest>
#include <gtest/gtest.h>

#include <memory>

namespace atende::test {

struct StateChange {
    server::whatsapp::SessionState state;
    QString reason;
};

class SessionSimTest : public ::testing::Test {
protected:
    void SetUp() override;
    void TearDown() override;
    // Starts the simulator with `options` (SetUp starts one with defaults).
    void restartSimulator(wasim::SimulatorOptions options);
    server::whatsapp::SessionConfig config() const;
    // A new session on `credentials` (fresh ones when empty) recording its state changes and QR texts.
    server::whatsapp::Session &makeSession(std::optional<server::whatsapp::Credentials> credentials = {},
                                           std::optional<server::whatsapp::SessionConfig> cfg = {});
    void destroySession();
    bool waitForState(server::whatsapp::SessionState state, int timeoutMs = 10000);
    bool waitForReason(const QString &reason, int timeoutMs = 10000);
    // Starts a fresh session, scans its first QR with the simulated phone and waits until it is connected;
    // returns the device key ("phone:device").
    QString pairNewSession();
    server::whatsapp::Credentials storedCredentials() const;
    bool sawReason(const QString &reason) const;

    std::unique_ptr<wasim::Simulator> sim;
    MemorySessionStore store;
    std::unique_ptr<server::whatsapp::Session> session;
    QList<StateChange> changes;
    QStringList qrTexts;
    QList<qint64> qrValidity;
};

} // namespace atende::test
