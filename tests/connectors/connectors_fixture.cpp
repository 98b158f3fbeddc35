#include "tests/connectors/connectors_fixture.h"

#include "server/security/master_key.h"

#include "atende/api/v1/contacts.pb.h"

namespace atende::test {

namespace v1 = atende::api::v1;
using core::Result;

void ConnectorsTest::SetUp()
{
    DeskTest::SetUp();
    if (HasFatalFailure())
        return;
    Result<std::shared_ptr<server::secrets::KeyStore>> keys =
        m_db->run([](QSqlDatabase &db) -> Result<std::shared_ptr<server::secrets::KeyStore>> {
                Result<server::security::MasterKey> master = server::security::MasterKey::generate();
                if (!master.ok())
                    return master.error();
                return server::secrets::KeyStore::open(master.value(), db);
            })
            .result();
    ASSERT_TRUE(keys.ok()) << keys.error().message.toStdString();
    m_keys = keys.value();
    m_control = std::make_unique<server::connectors::ConnectionsControl>(*m_db, m_keys, m_hub.get());
    server::connectors::addConnectionRuntimeOperations(m_table, m_control.get());
}

void ConnectorsTest::TearDown()
{
    for (auto &s : m_supervisors)
        s->stop();
    m_supervisors.clear();
    m_control.reset();
    DeskTest::TearDown();
}

QUuid ConnectorsTest::createConnection(const std::string &name, const std::string &kind, const DeskPerson *who)
{
    v1::CreateConnectionRequest req;
    req.set_name(name);
    req.set_kind(kind);
    Result<v1::Connection> c = call<v1::Connection>("connections.create", who ? *who : adminA, req);
    EXPECT_TRUE(c.ok()) << (c.ok() ? std::string() : c.error().message.toStdString());
    return c.ok() ? QUuid::fromString(QString::fromStdString(c->id())) : QUuid();
}

Result<v1::ConnectionHealth> ConnectorsTest::startPairing(const QUuid &id, const std::string &method,
                                                          const std::string &phone)
{
    v1::StartPairingRequest req;
    req.set_id(text(id).toStdString());
    req.set_method(method);
    req.set_phone_number(phone);
    return call<v1::ConnectionHealth>("connections.pairing.start", adminA, req);
}

server::connectors::ConnectionSupervisor *
ConnectorsTest::supervisor(const QString &instanceId, server::connectors::RunnerFactory factory, int leaseSeconds)
{
    server::connectors::SupervisorOptions o;
    o.instanceId = instanceId;
    o.leaseSeconds = leaseSeconds;
    o.renewIntervalMs = 1000;
    o.scanIntervalMs = 300;
    m_supervisors.push_back(
        std::make_unique<server::connectors::ConnectionSupervisor>(*m_db, m_keys, m_hub.get(), o, std::move(factory)));
    auto *s = m_supervisors.back().get();
    EXPECT_TRUE(s->start().ok());
    return s;
}

QString ConnectorsTest::ownerOf(const QUuid &connectionId)
{
    return scalar(QStringLiteral("SELECT coalesce(owner_instance_id, '') FROM whatsapp_sessions "
                                 "WHERE connection_id = '%1'")
                      .arg(text(connectionId)))
        .toString();
}

} // namespace atende::test
