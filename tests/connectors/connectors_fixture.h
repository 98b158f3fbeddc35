#pragma once
// DeskTest (fresh database, tenants A and B, the desk operations behind a real Dispatcher) plus what the
// WhatsApp connections need: a KeyStore with a random master key, ConnectionsControl with the connections.*
// run-time operations in the same table, and supervisors created on demand (each with its own instance id
// and its own lock session, like separate server instances on one database).

#include "server/connectors/connection_supervisor.h"
#include "server/connectors/connections_control.h"
#include "server/secrets/key_store.h"
#include "tests/desk/desk_fixture.h"

#include <memory>
#include <vector>

namespace atende::test {

class ConnectorsTest : public DeskTest {
protected:
    void SetUp() override;
    void TearDown() override;

    // connections.create (kind whatsapp unless told) as adminA; returns the id.
    QUuid createConnection(const std::string &name, const std::string &kind = "whatsapp",
                           const DeskPerson *who = nullptr);
    // connections.pairing.start as adminA.
    core::Result<atende::api::v1::ConnectionHealth> startPairing(const QUuid &id, const std::string &method = "qr",
                                                                 const std::string &phone = {});
    // A supervisor with short leases (fast tests); factory may be empty.
    server::connectors::ConnectionSupervisor *
    supervisor(const QString &instanceId, server::connectors::RunnerFactory factory = {}, int leaseSeconds = 3);
    // owner_instance_id of the connection as the database has it ("" = none).
    QString ownerOf(const QUuid &connectionId);

    std::shared_ptr<server::secrets::KeyStore> m_keys;
    std::unique_ptr<server::connectors::ConnectionsControl> m_control;
    std::vector<std::unique_ptr<server::connectors::ConnectionSupervisor>> m_supervisors;
};

} // namespace atende::test
