#pragma once
// The console's notification sound (":/sounds/notify.wav", a short chime) through Qt Multimedia's
// QSoundEffect. The effect is made on the first play, so a console that never notifies never opens the
// audio device. requests() counts what was asked for: tests check that, not the speaker.

#include <QObject>

class QSoundEffect;

namespace atende::app::console {

class NotificationSound : public QObject {
    Q_OBJECT
public:
    explicit NotificationSound(QObject *parent = nullptr);

    void play();
    int requests() const { return m_requests; }
    static QString resourcePath() { return QStringLiteral(":/sounds/notify.wav"); }

Q_SIGNALS:
    void requested();

private:
    QSoundEffect *m_effect = nullptr;
    int m_requests = 0;
};

} // namespace atende::app::console
