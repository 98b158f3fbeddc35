#pragma once
// Plain records of the accounts module, shared by the repositories (SQL), the service and the protobuf
// mapping. Patches carry only the fields a request set.

#include <QString>
#include <QStringList>
#include <QUuid>

#include <optional>

namespace atende::server::accounts {

struct TenantSettings {
    QUuid id;
    QString name;
    QString slug;
    QString timeZone;
    QString language;
};

struct TenantPatch {
    std::optional<QString> name;
    std::optional<QString> timeZone;
    std::optional<QString> language;
};

struct UserRecord {
    QUuid id;
    QString email;
    QString name;
    QString role;
    bool active = true;
    QString availability;
    QString pauseReason;
    QList<QUuid> sectorIds; // sorted
};

struct UserFilter {
    QString search; // literal text matched against name and email
    QString role;
    std::optional<bool> active;
    QUuid sectorId;
};

struct UserPatch {
    std::optional<QString> name;
    std::optional<QString> email;
    std::optional<QString> role;
    std::optional<bool> active;
};

struct NewAccount {
    QString email;
    QString name;
    QString role;
};

struct Availability {
    QString state; // online | paused | offline
    QString pauseReason;
};

struct SectorRecord {
    QUuid id;
    QString name;
    QString color;
    QString greeting;
    int reopenWindowMinutes = 120;
    QList<QUuid> memberIds; // sorted
};

struct SectorPatch {
    std::optional<QString> name;
    std::optional<QString> color;
    std::optional<QString> greeting;
    std::optional<int> reopenWindowMinutes;
};

// Who makes a change: recorded in the audit log.
struct Actor {
    QUuid tenantId;
    QUuid userId;
    QString ip;
};

} // namespace atende::server::accounts
