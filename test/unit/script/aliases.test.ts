import { describe, expect, it } from 'vitest';
import { expandAliases, literalAliasName, type AliasView } from '../../../src/script/aliases.js';

function view(aliases: Record<string, string>, fixed: string[] = []): AliasView {
  return {
    user: (n) => aliases[n],
    fixed: (n) => fixed[n] ?? '',
    hasUser: Object.keys(aliases).length > 0,
  };
}

describe('expandAliases', () => {
  const v = view({ myAlias: '0x6', Short: 'usersrv!NameTooLong', place: '00610000' }, ['', '1+2']);

  it('replaces a user alias only when it stands alone between blanks, ; or quotes', () => {
    expect(expandAliases('.echo myAlias', v)).toBe('.echo 0x6');
    expect(expandAliases('dw Short +8', v)).toBe('dw usersrv!NameTooLong +8');
    expect(expandAliases('.echo "myAlias";.echo myAlias', v)).toBe('.echo "0x6";.echo 0x6');
    expect(expandAliases('.echo (myAlias) myAliasX xmyAlias', v)).toBe('.echo (myAlias) myAliasX xmyAlias');
  });

  it('replaces ${Alias} next to other text, with the /d /f /n /v switches', () => {
    expect(expandAliases('.if ((${place} >= 0x77000000)) {}', v)).toBe('.if ((00610000 >= 0x77000000)) {}');
    expect(expandAliases('${/d:myAlias}${/d:nope} [${/f:nope}] ${/n:myAlias} ${/n:nope} ${/v:myAlias} ${nope}', v)).toBe(
      '10 [] myAlias ${/n:nope} ${/v:myAlias} ${nope}',
    );
  });

  it('replaces fixed-name aliases anywhere, and before user aliases', () => {
    expect(expandAliases('? $u1*2 + x$u1', v)).toBe('? 1+2*2 + x1+2');
    expect(expandAliases('r $.u1=5', v)).toBe('r $.u1=5');
  });

  it('leaves text alone when there is nothing to replace', () => {
    const empty = view({});
    const text = 'r $t0 = @$t0 + 1';
    expect(expandAliases(text, empty)).toBe(text);
  });

  it('reads ${/v:Name} as the plain name for as/aS/ad', () => {
    expect(literalAliasName('${/v:$Base}')).toBe('$Base');
    expect(literalAliasName('plain')).toBe('plain');
  });
});
