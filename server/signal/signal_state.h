#pragma once
// The Signal state of one account as plain bytes: what a store loads (SignalSnapshot) and what an account
// hands back to be written (SignalChanges). Records are libsignal-protocol-c's own serializations (session
// and sender-key records, 33-byte identity keys); the store treats them as opaque blobs and must encrypt
// them at rest like any other key material.

#include "server/signal/address.h"
#include "server/whatsapp/credentials.h"

#include <QByteArray>
#include <QList>
#include <map>
#include <set>

namespace atende::server::signal {

struct SignalSnapshot {
    std::map<SignalAddress, QByteArray> sessions;   // serialized session_record
    std::map<SignalAddress, QByteArray> identities; // peer identity key, 33 bytes (0x05 ‖ key)
    QList<whatsapp::PreKeyRecord> preKeys;          // one-time prekeys not yet consumed
    std::map<SenderKeyName, QByteArray> senderKeys; // serialized sender_key_record
};

// Everything that changed since the last flush. Later changes win: a session stored after being deleted is
// an upsert, one deleted after being stored is a delete.
struct SignalChanges {
    std::map<SignalAddress, QByteArray> sessions; // upsert
    std::set<SignalAddress> deletedSessions;
    std::map<SignalAddress, QByteArray> identities; // upsert; an empty value deletes
    std::set<quint32> removedPreKeys;               // consumed by a pkmsg
    std::map<SenderKeyName, QByteArray> senderKeys; // upsert

    bool isEmpty() const;
    // Folds `later` into this set of changes (this one is older).
    void merge(SignalChanges later);
    // Applies the changes to a snapshot (what a store does; the in-memory store and the account use it).
    void applyTo(SignalSnapshot &snapshot) const;
};

} // namespace atende::server::signal
