/**
 * The words of notifications in every language: each names the person and, for notices, who took or
 * resolved the alert; none is left in English where another language was asked for; the reply
 * instruction always carries the code as `ACK <code>`, which the reply parser reads.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { channelWords, notificationWords } from '../../src/core/alerts/messages.ts';
import { ALERT_SOURCES, SEVERITIES } from '../../src/core/alerts/model.ts';
import { LOCALES } from '../../src/core/registry/model.ts';

const PURPOSES = ['alert', 'acknowledged', 'resolved'] as const;

describe('notification words', () => {
  it('name the person, and who acted when known, in every language, kind and purpose', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...LOCALES),
        fc.constantFrom(...ALERT_SOURCES),
        fc.constantFrom(...SEVERITIES),
        fc.constantFrom(...PURPOSES),
        fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== ''),
        fc.option(
          fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim() !== ''),
          { nil: null },
        ),
        (language, source, severity, purpose, subjectName, by) => {
          const words = notificationWords({ alert: { source, severity }, purpose, subjectName, by, language });
          assert.ok(words.subject.startsWith('[Amparo'));
          assert.ok(words.subject.includes(subjectName));
          assert.ok(words.text.includes(subjectName));
          if (purpose !== 'alert' && by !== null) assert.ok(words.text.includes(by));
        },
      ),
    );
  });

  it('are written in the language asked for, not left in English', () => {
    const english = (purpose: (typeof PURPOSES)[number]) =>
      notificationWords({
        alert: { source: 'check_in_missed', severity: 'high' },
        purpose,
        subjectName: 'Ana',
        by: 'marta',
        language: 'en',
      });
    for (const language of LOCALES.filter((l) => l !== 'en')) {
      for (const purpose of PURPOSES) {
        const words = notificationWords({
          alert: { source: 'check_in_missed', severity: 'high' },
          purpose,
          subjectName: 'Ana',
          by: 'marta',
          language,
        });
        assert.notEqual(words.text, english(purpose).text, `${language} ${purpose}`);
        assert.doesNotMatch(words.text, /\b(for|took|was resolved|Severity)\b/, `${language} ${purpose}`);
      }
      assert.notEqual(channelWords(language).acknowledge, channelWords('en').acknowledge);
    }
  });

  it('keep the reply code as ACK <code> in every language', () => {
    fc.assert(
      fc.property(fc.constantFrom(...LOCALES), fc.stringMatching(/^\d{6}$/), (language, code) => {
        const words = channelWords(language);
        assert.ok(words.reply(code).includes(`ACK ${code}`));
        assert.ok(words.orReply(code).includes(`ACK ${code}`));
        assert.ok(words.shortReply(code).includes(`ACK ${code}`));
      }),
    );
  });
});
