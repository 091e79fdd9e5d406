import fc from 'fast-check';

// Under Stryker a failing property only has to fail, not shrink: skip shrinking (a killed mutant
// costs one failing run instead of hundreds of shrink steps). Tests that check shrinking itself
// pass `endOnFailure: false` explicitly, which wins over this global default.
fc.configureGlobal({ endOnFailure: true });
