import { useLayoutEffect, useId, useRef, type ReactNode } from 'react';
import type { ScreenName } from '../../kiosk/contract.js';

export interface ScreenLayoutProps {
  /** Also `data-screen`, so end-to-end tests can tell which screen is up. */
  readonly name: ScreenName | 'connecting' | 'connectionLost' | 'unknown';
  readonly title: ReactNode;
  readonly children?: ReactNode;
  readonly actions?: ReactNode;
  /** Status screens announce themselves; interactive ones move focus to their heading. */
  readonly live?: boolean;
}

export function ScreenLayout({ name, title, children, actions, live = false }: ScreenLayoutProps) {
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  // A new screen is a new page to a screen-reader or keypad user: start them at its title,
  // in the commit that shows it (a passive effect runs a task later, after a key may have moved focus).
  useLayoutEffect(() => {
    heading.current?.focus({ preventScroll: true });
  }, []);
  return (
    <section
      className={`screen screen--${name}`}
      data-screen={name}
      aria-labelledby={headingId}
      aria-live={live ? 'polite' : undefined}
    >
      <h1 id={headingId} ref={heading} tabIndex={-1}>
        {title}
      </h1>
      {children !== undefined && <div className="screen-body">{children}</div>}
      {actions !== undefined && <div className="screen-actions">{actions}</div>}
    </section>
  );
}
