import { useEffect, useRef, useState } from 'react';
import { useStudio } from '../state/store';

/**
 * Renders errors, warnings and information, newest last, each dismissible, in the page flow
 * below the header so they never cover a control. While the list is scrolled out of view,
 * a small button at the top right counts the notices and scrolls back to them.
 */
export function Notices() {
  const notices = useStudio((s) => s.notices);
  const dismiss = useStudio((s) => s.dismiss);
  const area = useRef<HTMLDivElement>(null);
  const [inView, setInView] = useState(true);

  useEffect(() => {
    const element = area.current;
    if (!element) return;
    const observer = new IntersectionObserver(([entry]) => setInView(entry.isIntersecting));
    observer.observe(element);
    return () => observer.disconnect();
  }, [notices.length > 0]);

  if (notices.length === 0) return null;
  const errors = notices.filter((n) => n.kind === 'error').length;
  return (
    <>
      <div className="notices" aria-live="polite" ref={area} data-testid="notices">
        {notices.map((notice) => (
          <div key={notice.id} className={`notice notice-${notice.kind}`} data-testid={`notice-${notice.kind}`}>
            <div className="notice-body">
              <span>
                {notice.text} {notice.code && <code>{notice.code}</code>}
              </span>
              {notice.details && (
                <details className="notice-details">
                  <summary>details</summary>
                  <code data-testid="notice-details">{notice.details}</code>
                </details>
              )}
            </div>
            <button type="button" aria-label="Dismiss" title="Dismiss" onClick={() => dismiss(notice.id)}>
              ×
            </button>
          </div>
        ))}
      </div>
      {!inView && (
        <button type="button" className={`notices-jump${errors ? ' has-errors' : ''}`} onClick={() => area.current?.scrollIntoView({ behavior: 'smooth' })} data-testid="notices-jump">
          {notices.length} notice{notices.length === 1 ? '' : 's'}
          {errors ? `, ${errors} error${errors === 1 ? '' : 's'}` : ''} ↑
        </button>
      )}
    </>
  );
}
