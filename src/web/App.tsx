import { type ReactNode, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { LOCALES } from '../core/registry/model.ts';
import { focusPageHeading, usePageTitle } from './components/ui.tsx';
import { isLocale, LANGUAGE_NAMES, setLanguage } from './i18n.ts';
import { ActorForm } from './pages/ActorForm.tsx';
import { ActorPage } from './pages/ActorPage.tsx';
import { AuditTrailPage } from './pages/AuditPage.tsx';
import { RegistryList } from './pages/RegistryList.tsx';
import { VocabulariesPage } from './pages/VocabulariesPage.tsx';
import { Link, match, useLocation } from './router.tsx';
import { StatusProvider, StatusRegion } from './status.tsx';
import { VocabularyProvider } from './vocabularies.tsx';

/**
 * Moves focus to the new page's heading. Pages often swap a loading heading for the loaded one;
 * while focus would otherwise fall back to the document, it follows to the new heading.
 */
function focusNewPage(): () => void {
  let heading = focusPageHeading();
  const main = document.getElementById('main');
  if (!main) return () => {};
  const observer = new MutationObserver(() => {
    const lost = document.activeElement === null || document.activeElement === document.body;
    if (heading && !heading.isConnected && lost) heading = focusPageHeading();
  });
  observer.observe(main, { childList: true, subtree: true });
  const timer = window.setTimeout(() => observer.disconnect(), 10_000);
  return () => {
    observer.disconnect();
    window.clearTimeout(timer);
  };
}

function Header() {
  const { t, i18n } = useTranslation();
  const { pathname } = useLocation();
  const section = pathname.startsWith('/vocabularies')
    ? 'vocabularies'
    : pathname.startsWith('/audit')
      ? 'audit'
      : pathname === '/actors/new'
        ? 'new'
        : 'registry';
  const current = (name: string) => (section === name ? ('page' as const) : undefined);
  return (
    <header className="site-header">
      <div className="site-header-inner">
        <span className="brand" translate="no">
          Amparo
        </span>
        <nav aria-label={t('nav.label')} className="main-nav">
          <ul>
            <li>
              <Link href="/" aria-current={current('registry')}>
                {t('nav.registry')}
              </Link>
            </li>
            <li>
              <Link href="/actors/new" aria-current={current('new')}>
                {t('nav.newActor')}
              </Link>
            </li>
            <li>
              <Link href="/vocabularies" aria-current={current('vocabularies')}>
                {t('nav.vocabularies')}
              </Link>
            </li>
            <li>
              <Link href="/audit" aria-current={current('audit')}>
                {t('nav.audit')}
              </Link>
            </li>
          </ul>
        </nav>
        <div className="language-switcher">
          <label htmlFor="language-select">{t('nav.language')}</label>
          <select
            id="language-select"
            value={i18n.language}
            onChange={(event) => {
              if (isLocale(event.target.value)) setLanguage(event.target.value);
            }}
          >
            {LOCALES.map((code) => (
              <option key={code} value={code} lang={code}>
                {LANGUAGE_NAMES[code]}
              </option>
            ))}
          </select>
        </div>
      </div>
    </header>
  );
}

function NotFound() {
  const { t } = useTranslation();
  usePageTitle(t('notFound.title'));
  return (
    <>
      <h1>{t('notFound.title')}</h1>
      <p>{t('notFound.body')}</p>
      <p>
        <Link href="/">{t('notFound.back')}</Link>
      </p>
    </>
  );
}

function pageFor(pathname: string): ReactNode {
  if (pathname === '/' || pathname === '/actors') return <RegistryList />;
  if (match('/actors/new', pathname)) return <ActorForm key="new" />;
  const edit = match('/actors/:id/edit', pathname);
  if (edit?.id) return <ActorForm key={`edit:${edit.id}`} id={edit.id} />;
  const actor = match('/actors/:id', pathname);
  if (actor?.id) return <ActorPage key={actor.id} id={actor.id} />;
  if (match('/vocabularies', pathname)) return <VocabulariesPage />;
  if (match('/audit', pathname)) return <AuditTrailPage />;
  return <NotFound />;
}

function Routes() {
  const location = useLocation();
  const page = pageFor(location.pathname);

  // Move focus to the new page's heading on navigation (not on first load, so Tab starts at the skip link).
  const firstKey = useRef(location.key);
  useEffect(() => {
    if (location.key === firstKey.current) return;
    let stop = () => {};
    const frame = requestAnimationFrame(() => {
      stop = focusNewPage();
    });
    return () => {
      cancelAnimationFrame(frame);
      stop();
    };
  }, [location.key]);

  return page;
}

export function App() {
  const { t } = useTranslation();
  return (
    <StatusProvider>
      <VocabularyProvider>
        {/* biome-ignore lint/a11y/useValidAnchor: a skip link is a link; the handler only keeps "#main" out of the history. */}
        <a
          className="skip-link"
          href="#main"
          onClick={(event) => {
            event.preventDefault();
            document.getElementById('main')?.focus();
          }}
        >
          {t('nav.skip')}
        </a>
        <Header />
        <main id="main" tabIndex={-1}>
          <StatusRegion />
          <Routes />
        </main>
        <footer className="site-footer">
          <p>{t('footer.text')}</p>
        </footer>
      </VocabularyProvider>
    </StatusProvider>
  );
}
