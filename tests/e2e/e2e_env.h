#pragma once
// One end-to-end world per test (issue 6, label e2e): atende-wasim as a process, an atende-server process
// on a fresh database of the test cluster (an external database, so a SIGKILL of the server leaves the
// data where production keeps it), a demo tenant (`atende-server admin demo`), the tenant's WhatsApp
// connection paired against the simulator as the business number, and a Baileys customer (another
// simulated user) linked through the simulator's admin scan. The agent works through the REST API and
// watches the WebSocket events.

#include "tests/api/server_process.h"
#include "tests/e2e/e2e_desk.h"
#include "tests/e2e/e2e_processes.h"

#include <QTemporaryDir>

#include <gtest/gtest.h>

#include <memory>

namespace atende::e2e {

class E2eTest : public ::testing::Test {
protected:
    static constexpr const char *kBusinessPhone = "5511955550000";
    static constexpr const char *kCustomerPhone = "5511988887777";

    void SetUp() override;
    void TearDown() override;

    // Starts (or restarts after a kill) atende-server on the same database, master key and instance id.
    bool startServer();
    // SIGKILL, no goodbye.
    void killServer();

    // Waits until the connection's health is `state`.
    bool waitConnection(const QString &state, int ms);
    // Customer sends `text`; waits for its ticket and accepts it as the agent. Returns the ticket id.
    QString openTicket(const QString &text);
    // Waits until the ticket holds `n` inbound messages.
    bool waitInbound(const QString &ticketId, int n, int ms);
    // Message statuses seen in messageChanged events for a message id.
    QStringList statusesOf(const QString &messageId) const;

    // On failure: what the simulator still holds for the business device, its counters, the connection's
    // health and the simulator's last events.
    void dumpState(const QString &ticketId);

    QString business() const { return QLatin1String(kBusinessPhone); }
    quint16 serverPort() const { return m_port; }
    QString agentEmail() const { return m_agentEmail; }
    QString agentPassword() const { return m_agentPassword; }

    std::unique_ptr<WasimProcess> wasim;
    std::unique_ptr<test::ServerProcess> server;
    std::unique_ptr<DeskClient> agent;
    std::unique_ptr<DeskClient> admin;
    std::unique_ptr<BaileysCustomer> customer;
    QString connectionId;

private:
    bool prepareTenant();
    bool pairConnection();

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_databaseUrl;
    QString m_masterKey;
    quint16 m_port = 0;
    QString m_agentEmail, m_agentPassword, m_adminEmail, m_adminPassword;
};

} // namespace atende::e2e
