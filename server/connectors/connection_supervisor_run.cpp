// ConnectionSupervisor: what an owner does with its connections — commands, runners, their state.

#include "server/accounts/change_log.h"
#include "server/api/event_hub.h"
#include "server/api/permissions.h"
#include "server/connectors/connection_store.h"
#include "server/connectors/connection_supervisor.h"
#include "server/connectors/logging.h"
#include "server/db/db_executor.h"
#include "server/db/finished.h"

#include "atende/api/v1/sync.pb.h"

namespace atende::server::connectors {

using atende::core::Result;
using atende::core::Status;
using db::Finished;

QCoro::Task<> ConnectionSupervisor::converge(QUuid connectionId)
{
    Owned *o = m_owned.value(connectionId);
    if (!o)
        co_return;
    if (o->converging) {
        o->again = true; // a command arrived meanwhile: look again when this round ends
        co_return;
    }
    o->converging = true;
    QPointer<ConnectionSupervisor> self(this);
    bool again = true;
    while (again) {
        auto t = convergeOnce(connectionId);
        co_await t;
        if (!self)
            co_return;
        o = m_owned.value(connectionId);
        if (!o)
            co_return;
        again = o->again;
        o->again = false;
    }
    o->converging = false;
}

QCoro::Task<> ConnectionSupervisor::convergeOnce(QUuid connectionId)
{
    Owned *o = m_owned.value(connectionId);
    if (!o || m_stopped)
        co_return;
    QPointer<ConnectionSupervisor> self(this);
    const OwnedKey key = o->key;
    secrets::KeyStore *keys = m_keys.get();
    QFuture<Result<SessionRow>> f =
        m_db.runTenantKeyed(writeKey(key.connectionId), key.tenantId, [key, keys](QSqlDatabase &d) {
            return ConnectionStore::load(d, keys, key.tenantId, key.connectionId);
        });
    co_await Finished(f);
    if (!self || m_stopped)
        co_return;
    Result<SessionRow> loaded = f.result();
    o = m_owned.value(connectionId);
    if (!o)
        co_return;
    if (!loaded.ok()) {
        qCWarning(lcConnectors).noquote()
            << "cannot load connection" << connectionId.toString(QUuid::WithoutBraces) << loaded.error().message;
        co_return;
    }
    const SessionRow row = loaded.value();
    const QString instance = m_options.instanceId;

    if (row.commandSeq > row.commandDoneSeq && row.command == QLatin1String("logout")) {
        // Logout (or delete): unlink through the running session when there is one. Without a live session
        // the phone is not told (it shows the device until it notices); the credentials are forgotten anyway.
        if (o->runner)
            o->runner->disconnect(this); // this branch records the outcome, once
        if (o->runner && o->state == QLatin1String("connected")) {
            auto t = o->runner->logout();
            const Status st = co_await t;
            if (!self)
                co_return;
            if (!st.ok())
                qCWarning(lcConnectors).noquote() << "logout:" << st.error().message;
        }
        o = m_owned.value(connectionId);
        if (o && o->runner) {
            o->runner->disconnect(this);
            o->runner->stop();
            o->runner.release()->deleteLater();
        }
        const qint64 seq = row.commandSeq;
        QFuture<Result<accounts::Outbox>> w = m_db.runTenantKeyed(
            writeKey(key.connectionId), key.tenantId,
            [key, instance, seq](QSqlDatabase &d) -> Result<accounts::Outbox> {
                accounts::Outbox outbox;
                if (Status s = ConnectionStore::clear(d, key.tenantId, key.connectionId, instance); !s.ok())
                    return s.error();
                StateChange change;
                change.state = QStringLiteral("logged_out");
                change.reason = QStringLiteral("logged_out");
                if (Status s =
                        ConnectionStore::recordState(d, outbox, key.tenantId, key.connectionId, instance, change);
                    !s.ok())
                    return s.error();
                if (Status s = ConnectionStore::markCommandDone(d, key.tenantId, key.connectionId, seq); !s.ok())
                    return s.error();
                return outbox;
            });
        co_await Finished(w);
        if (!self)
            co_return;
        if (Result<accounts::Outbox> r = w.result(); r.ok()) {
            publish(r.value());
            Q_EMIT stateRecorded(connectionId, QStringLiteral("logged_out"), QStringLiteral("logged_out"));
        } else {
            qCWarning(lcConnectors).noquote() << "recording the logout failed:" << r.error().message;
        }
        auto d = drop(connectionId, true);
        co_await d;
        co_return;
    }

    if (row.commandSeq > row.commandDoneSeq && row.command == QLatin1String("pair")) {
        // A new pairing: a fresh registration (new keys) unless the account is still paired.
        if (o->runner) {
            o->runner->disconnect(this);
            o->runner->stop();
            o->runner.release()->deleteLater();
        }
        o->pendingCodePhone = row.pairingMethod == QLatin1String("code") ? row.pairingPhone : QString();
        const qint64 seq = row.commandSeq;
        QFuture<Status> done =
            m_db.runTenantKeyed(writeKey(key.connectionId), key.tenantId, [key, seq](QSqlDatabase &d) {
                return ConnectionStore::markCommandDone(d, key.tenantId, key.connectionId, seq);
            });
        co_await Finished(done);
        if (!self)
            co_return;
        o = m_owned.value(connectionId);
        if (!o)
            co_return;
        startRunner(*o, row.paired ? row.credentials : QByteArray());
        co_return;
    }

    if (!row.wanted || row.connectionDeleted || row.kind != QLatin1String("whatsapp")) {
        auto d = drop(connectionId, true);
        co_await d;
        co_return;
    }
    if (!o->runner)
        startRunner(*o, row.paired ? row.credentials : QByteArray());
}

void ConnectionSupervisor::startRunner(Owned &o, const QByteArray &credentials)
{
    if (!m_factory)
        return; // ownership only
    RunnerContext ctx{o.key.tenantId, o.key.connectionId, m_options.instanceId, credentials};
    o.runner = m_factory(ctx);
    if (!o.runner)
        return;
    const QUuid id = o.key.connectionId;
    connect(o.runner.get(), &ConnectionRunner::stateChanged, this,
            [this, id](const QString &state, const QString &reason) { onRunnerState(id, state, reason); });
    connect(o.runner.get(), &ConnectionRunner::pairingSecret, this,
            [this, id](const QString &kind, const QString &value, qint64 validForMs) {
                onRunnerSecret(id, kind, value, validForMs);
            });
    o.runner->start();
}

QCoro::Task<> ConnectionSupervisor::onRunnerState(QUuid connectionId, QString state, QString reason)
{
    Owned *o = m_owned.value(connectionId);
    if (!o || !o->runner || m_stopped)
        co_return;
    o->state = state;
    QPointer<ConnectionSupervisor> self(this);
    const OwnedKey key = o->key;
    const QString instance = m_options.instanceId;
    const RunnerHealth h = o->runner->health();
    StateChange change{state, reason, h.lastFrameAt, h.connectedAt, h.reconnects};
    const bool loggedOut = state == QLatin1String("logged_out");
    const bool pairingOver = loggedOut || state == QLatin1String("connected") || state == QLatin1String("failed");
    std::shared_ptr<secrets::KeyStore> keys = m_keys;
    QFuture<Result<accounts::Outbox>> f = m_db.runTenantKeyed(
        writeKey(key.connectionId), key.tenantId,
        [key, instance, change, loggedOut, pairingOver, keys](QSqlDatabase &d) -> Result<accounts::Outbox> {
            accounts::Outbox outbox;
            if (Status s = ConnectionStore::recordState(d, outbox, key.tenantId, key.connectionId, instance, change);
                !s.ok())
                return s.error();
            if (loggedOut) {
                // Removed from the phone (or logged out): credentials are useless now; needs a new pairing.
                if (Status s = ConnectionStore::clear(d, key.tenantId, key.connectionId, instance); !s.ok())
                    return s.error();
            } else if (pairingOver) {
                if (Status s = ConnectionStore::setPairingSecret(d, *keys, key.tenantId, key.connectionId, instance,
                                                                 PairingSecret{});
                    !s.ok())
                    return s.error();
            }
            return outbox;
        });
    co_await Finished(f);
    if (!self)
        co_return;
    Result<accounts::Outbox> r = f.result();
    if (!r.ok()) {
        qCWarning(lcConnectors).noquote() << "recording state" << state << "failed:" << r.error().message;
        co_return;
    }
    publish(r.value());
    Q_EMIT stateRecorded(connectionId, state, reason);
    o = m_owned.value(connectionId);
    if (!o)
        co_return;
    if (state == QLatin1String("awaiting_qr") && !o->pendingCodePhone.isEmpty() && o->runner) {
        const QString phone = o->pendingCodePhone;
        o->pendingCodePhone.clear();
        auto t = o->runner->requestPairingCode(phone);
        const Status st = co_await t;
        if (self && !st.ok())
            qCWarning(lcConnectors).noquote() << "pairing code request failed:" << st.error().code;
    }
    if (loggedOut && self) {
        auto d = drop(connectionId, true);
        co_await d;
    }
}

QCoro::Task<> ConnectionSupervisor::onRunnerSecret(QUuid connectionId, QString kind, QString value, qint64 validForMs)
{
    Owned *o = m_owned.value(connectionId);
    if (!o || m_stopped)
        co_return;
    QPointer<ConnectionSupervisor> self(this);
    const OwnedKey key = o->key;
    const QString instance = m_options.instanceId;
    PairingSecret secret{kind, value, QDateTime::currentDateTimeUtc().addMSecs(validForMs)};
    std::shared_ptr<secrets::KeyStore> keys = m_keys;
    // Stored (encrypted) so GET .../pairing answers on any instance; sent as an ephemeral event, never into
    // the event log: a QR links a phone to this tenant's connection, so it must not outlive its validity.
    QFuture<Status> f =
        m_db.runTenantKeyed(writeKey(key.connectionId), key.tenantId, [key, instance, secret, keys](QSqlDatabase &d) {
            return ConnectionStore::setPairingSecret(d, *keys, key.tenantId, key.connectionId, instance, secret);
        });
    co_await Finished(f);
    if (!self || !m_hub)
        co_return;
    if (Status s = f.result(); !s.ok())
        qCWarning(lcConnectors).noquote() << "storing the pairing secret failed:" << s.error().message;
    atende::api::v1::Event e;
    auto *p = e.mutable_connection_pairing()->mutable_pairing();
    p->set_connection_id(connectionId.toString(QUuid::WithoutBraces).toStdString());
    p->set_kind(kind.toStdString());
    p->set_value(value.toStdString());
    p->set_valid_until(secret.validUntil.toString(Qt::ISODateWithMs).toStdString());
    Owned *now = m_owned.value(connectionId);
    p->set_state((now ? now->state : QString()).toStdString());
    e.set_tenant_id(key.tenantId.toString(QUuid::WithoutBraces).toStdString());
    e.set_at(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toStdString());
    api::Audience audience;
    audience.tenantId = key.tenantId;
    audience.permission = QString::fromLatin1(api::perm::kConnectionsManage);
    m_hub->publishEphemeral(audience, e);
}

} // namespace atende::server::connectors
