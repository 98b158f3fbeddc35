#pragma once
// Directory: names and colours the console shows next to ids — the tenant's sectors (with their members, so
// the console knows "my sectors"), its users and connections, and contacts fetched on demand.
//
// Tickets carry their contact's name and phone, so lists need no contacts.get; the console asks only for the
// open ticket's contact (e-mail, tags and notes for the details card). ContactChanged events keep the cache
// fresh, and contactChanged() lets the lists repaint a renamed contact.

#include "app/core/api_client.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QStringList>
#include <deque>

namespace atende::app::core {

struct SectorInfo {
    QString id;
    QString name;
    QString color; // "#rrggbb"
    QStringList memberIds;
};

struct UserInfo {
    QString id;
    QString name;
    QString role;
    QString availability;
    QStringList sectorIds;
};

struct ConnectionInfo {
    QString id;
    QString name;
};

struct ContactInfo {
    QString id;
    QString name;
    QString phone;
    QString email;
    QString notes;
    QStringList tags;
};

class Directory : public QObject {
    Q_OBJECT
public:
    explicit Directory(ApiClient *api, QObject *parent = nullptr);

    // Loads sectors and users (again).
    void reload();
    void setMyUserId(const QString &id) { m_myUserId = id; }

    const QHash<QString, SectorInfo> &sectors() const { return m_sectors; }
    const QHash<QString, UserInfo> &users() const { return m_users; }
    // The tenant's WhatsApp connections (the ticket list's connection filter).
    const QHash<QString, ConnectionInfo> &connections() const { return m_connections; }
    SectorInfo sector(const QString &id) const { return m_sectors.value(id); }
    QString userName(const QString &id) const { return m_users.value(id).name; }
    QSet<QString> mySectorIds() const;

    // Known contact (empty id when not loaded yet).
    ContactInfo contact(const QString &id) const { return m_contacts.value(id); }
    // Loads contacts not known yet; contactChanged(id) for each as it arrives.
    void require(const QStringList &contactIds);
    void updateContact(const ContactInfo &contact);
    int pendingContacts() const { return int(m_queue.size()) + m_running; }

Q_SIGNALS:
    void sectorsChanged();
    void usersChanged();
    void connectionsChanged();
    void contactChanged(const QString &id);

private:
    void pump();

    ApiClient *m_api;
    QString m_myUserId;
    QHash<QString, SectorInfo> m_sectors;
    QHash<QString, UserInfo> m_users;
    QHash<QString, ConnectionInfo> m_connections;
    QHash<QString, ContactInfo> m_contacts;
    QSet<QString> m_requested;
    std::deque<QString> m_queue;
    int m_running = 0;
};

} // namespace atende::app::core
