#pragma once
// ConnectionsControl: the API side of WhatsApp connections at run time (connections.pairing.*,
// connections.health.get, connections.events.list, connections.logout). It never talks to a Session: a
// command is a row in whatsapp_sessions (command, command_seq) written in the caller's tenant transaction,
// and the trigger of migration 0014 NOTIFYs atende_connections at COMMIT. The instance that owns the
// connection carries it out (ConnectionSupervisor::converge); when nobody owns it, the command makes it
// claimable and the first instance to notice takes it over. So a request may reach any instance, and no
// instance ever needs to know which one is the owner. Reads come straight from the table.

#include "common/core/result.h"
#include "server/accounts/account_types.h"

#include "atende/api/v1/connections.pb.h"

#include <QObject>
#include <QPointer>
#include <QUuid>
#include <qcoro/qcorotask.h>

#include <memory>

namespace atende::server::db {
class DbExecutor;
}
namespace atende::server::secrets {
class KeyStore;
}
namespace atende::server::api {
class EventHub;
class OperationTable;
} // namespace atende::server::api

namespace atende::server::connectors {

class ConnectionsControl : public QObject {
    Q_OBJECT
public:
    ConnectionsControl(db::DbExecutor &db, std::shared_ptr<secrets::KeyStore> keys, api::EventHub *hub,
                       QObject *parent = nullptr);

    // method "" | "qr" | "code" (phone digits with country code, required for "code").
    QCoro::Task<atende::core::Result<atende::api::v1::ConnectionHealth>>
    startPairing(accounts::Actor actor, QUuid connectionId, QString method, QString phone);
    QCoro::Task<atende::core::Result<atende::api::v1::PairingState>> pairing(QUuid tenantId, QUuid connectionId);
    QCoro::Task<atende::core::Result<atende::api::v1::ConnectionHealth>> health(QUuid tenantId, QUuid connectionId);
    QCoro::Task<atende::core::Result<atende::api::v1::ListConnectionEventsResponse>>
    events(QUuid tenantId, QUuid connectionId, QString cursor, int limit);
    QCoro::Task<atende::core::Result<atende::api::v1::ConnectionHealth>> logout(accounts::Actor actor,
                                                                                QUuid connectionId);

private:
    db::DbExecutor &m_db;
    std::shared_ptr<secrets::KeyStore> m_keys;
    QPointer<api::EventHub> m_hub;
};

void addConnectionRuntimeOperations(api::OperationTable &table, ConnectionsControl *control);

} // namespace atende::server::connectors
