import type { ReactNode } from 'react';

export interface ButtonProps {
  readonly onClick: () => void;
  readonly children: ReactNode;
  readonly variant?: 'primary' | 'secondary';
  readonly disabled?: boolean;
  /** A toggle's state (aria-pressed); leave out for a plain button. */
  readonly pressed?: boolean;
  /** The screen's back/cancel/stop: the keypad's back key presses it. */
  readonly back?: boolean;
}

export function Button({ onClick, children, variant = 'primary', disabled = false, pressed, back = false }: ButtonProps) {
  return (
    <button
      type="button"
      className={`btn btn--${variant}`}
      onClick={onClick}
      disabled={disabled}
      aria-pressed={pressed}
      data-keypad-back={back ? '' : undefined}
    >
      {children}
    </button>
  );
}
