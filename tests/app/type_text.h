#pragma once
// Types text into a widget key by key. QTest::keyClicks asserts on characters outside ASCII (qasciikey.cpp),
// and Portuguese needs accents: those go as key events that carry only their text, as an input method
// would deliver them.

#include <QTest>

namespace atende::test {

inline void typeText(QWidget *widget, const QString &text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c.unicode() < 128) {
            QTest::keyClick(widget, c.toLatin1());
            continue;
        }
        // A character outside the BMP (emoji) is one event carrying both halves of its surrogate pair.
        const qsizetype n = c.isHighSurrogate() && i + 1 < text.size() ? 2 : 1;
        QTest::sendKeyEvent(QTest::Click, widget, Qt::Key_unknown, text.mid(i, n), Qt::NoModifier);
        i += n - 1;
    }
}

} // namespace atende::test
