#pragma once
// Plain records of the contacts and connections of the desk, shared by the repositories (SQL), the service
// and the protobuf mapping. Patches carry only the fields a request set.

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QUuid>

#include <optional>

namespace atende::server::desk {

struct IdentityRecord {
    QUuid id;
    QUuid contactId;
    QString kind; // wa_phone | wa_lid | email | other
    QString value;
    QUuid connectionId; // null when added by hand
};

struct ContactRecord {
    QUuid id;
    QString name;
    QString phone; // E.164 digits without "+", or empty
    QString email;
    QString notes;
    QStringList tags;
    QMap<QString, QString> customFields;
    QUuid mergedInto;
    QList<IdentityRecord> identities; // filled by find(), ordered by kind, value
    QDateTime createdAt;
    QDateTime updatedAt;
};

struct ContactPatch {
    std::optional<QString> name;
    std::optional<QString> phone;
    std::optional<QString> email;
    std::optional<QString> notes;
    std::optional<QStringList> tags;
    std::optional<QMap<QString, QString>> customFields;
};

// Keyset position in the (lower(name), id) order of contacts.list.
struct ContactCursor {
    QString lowerName;
    QUuid id;
};

struct ContactFilter {
    QString search; // literal text matched against name, phone and email
    QString tag;
    std::optional<ContactCursor> after;
    int limit = 50;
};

struct ContactPage {
    QList<ContactRecord> contacts;
    std::optional<ContactCursor> next; // set when more contacts follow
};

struct ConnectionRecord {
    QUuid id;
    QString name;
    QString kind; // whatsapp | test
    QString status;
    bool ignoreGroups = true;
    bool sendReadReceipts = true;
    QDateTime createdAt;
    QDateTime updatedAt;
    bool deleted = false;
};

struct ConnectionPatch {
    std::optional<QString> name;
    std::optional<QString> kind; // create only
    std::optional<bool> ignoreGroups;
    std::optional<bool> sendReadReceipts;
};

} // namespace atende::server::desk
